"""Every lesson and primer chapter with code becomes a notebook that runs.

The notebooks are generated from the same Markdown as the pages, so running one top to
bottom in a real Jupyter kernel (the pinned CPU torch, one kernel per notebook, two
notebooks at a time) checks what a learner who downloads it will see: no cell fails.

Cost: a kernel start and torch import take about 2 s per notebook, and every block
already runs on its own elsewhere (snippets, executed outputs); still, a learner downloads
each notebook, so the suite runs every one of them, two kernels at a time. For a quick
local run, ``BUILDREAL_SOME_NOTEBOOKS=1`` runs a representative set: every notebook of
the sample pack and the first notebook of each module of each bundled course.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from buildreal.packs.loader import find_courses, load_course
from buildreal.packs.model import Item
from buildreal.packs.notebook import build_notebook, has_notebook, notebook_json

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "fixtures" / "sample-pack"
CELL_TIMEOUT_S = 120
WORKERS = 2


def _notebook_items(everything: bool) -> list[tuple[str, Item]]:
    found = []
    for folder in [SAMPLE, *find_courses(REPO / "courses")]:
        course = load_course(folder)
        for module in course.modules:
            with_notebooks = [item for item in module.items if has_notebook(item)]
            if everything or folder == SAMPLE:
                found.extend((course.id, item) for item in with_notebooks)
            elif with_notebooks:
                found.append((course.id, with_notebooks[0]))
    return found


def _execute(item: Item) -> str | None:
    """Run the item's notebook in a fresh kernel; the failing cell's error, or None."""
    notebook = nbformat.reads(notebook_json(build_notebook(item)), as_version=4)
    with tempfile.TemporaryDirectory(prefix="buildreal-notebook-") as folder:
        client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                                resources={"metadata": {"path": folder}})
        try:
            client.execute()
        except CellExecutionError as exc:
            return str(exc)[-1500:]
    return None


@pytest.mark.slow
def test_every_generated_notebook_runs_top_to_bottom() -> None:
    items = _notebook_items(os.environ.get("BUILDREAL_SOME_NOTEBOOKS") != "1")
    assert [item.id for course, item in items if course == "sample"] == ["m1-l1", "m2-l1"]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        errors = list(pool.map(lambda pair: _execute(pair[1]), items))

    failures = [f"{course}/{item.id} ({item.source.path.name}): {error}"
                for (course, item), error in zip(items, errors, strict=True) if error]
    assert not failures, "\n\n".join(failures)


def test_notebook_cells_follow_the_page(sample_pack: Path) -> None:
    item = load_course(sample_pack).item("m1-l1")
    assert item is not None

    notebook = build_notebook(item)

    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and notebook.cells[0].source.startswith("# When a model")
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert [source.splitlines()[-1] for source in code] == [
        'assert gap[-1] > gap[0], "the gap should widen in this example"',
        'print("lowest validation loss at epoch", int(validation.argmin()) + 1)',
        'print("keep epoch", int(validation.argmin()) + 1)']
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "```python\nif val_loss < best:" in prose  # a no-run fragment stays prose
    assert "**Predict, then run:** After which epoch" in prose
    # The predict's explanation (its answer) stays on the page, behind a typed prediction.
    assert "Validation loss is lowest" not in prose and "<details>" not in prose
    assert "(item:m1-l1#predict-1)" in prose
    assert "**Practical takeaway**" in prose and ":::" not in prose
    predict_code = kinds.index("code", kinds.index("code", kinds.index("code") + 1) + 1)
    assert notebook.cells[predict_code + 1].source.startswith("Then compare with the explanation")
