"""Finding and running the Python blocks of a pack."""

from __future__ import annotations

from pathlib import Path

from buildreal.packs.loader import load_course
from buildreal.packs.snippets import Snippet, python_blocks, run_snippet


def test_python_blocks_skips_no_run_and_points_at_the_fence(sample_pack: Path) -> None:
    snippets = python_blocks(load_course(sample_pack))

    assert [(s.item_id, s.path.name) for s in snippets] == [
        ("m1-l1", "l1-overfitting.md"), ("m2-l1", "l1-gradient-descent.md")]
    for snippet in snippets:
        fence = snippet.path.read_text().splitlines()[snippet.line - 1]
        assert fence == "```python"
    assert "torch.save" not in "".join(s.code for s in snippets)
    assert snippets[0].code.startswith("import numpy as np\n")


def _snippet(code: str) -> Snippet:
    return Snippet("m1-l1", Path("lesson.md"), 12, code)


def test_snippet_that_runs_returns_its_output() -> None:
    assert run_snippet(_snippet("print(6 * 7)\n")) == (True, "42\n")


def test_failing_snippet_returns_its_traceback() -> None:
    ok, output = run_snippet(_snippet("x = 1\nassert x == 2, 'x is not two'\n"))

    assert not ok
    assert "AssertionError: x is not two" in output


def test_snippet_runs_alone_in_an_empty_folder() -> None:
    ok, output = run_snippet(_snippet(
        "import os\nfiles = os.listdir('.')\nprint(files)\nopen('scratch.txt', 'w')\n"))

    assert ok
    assert output.startswith("['m1-l1_line12.py']")


def test_snippet_that_hangs_is_stopped() -> None:
    ok, output = run_snippet(_snippet("import time\nprint('start', flush=True)\n"
                                      "time.sleep(30)\n"), timeout=1)

    assert not ok
    assert "timed out after 1 s" in output
    assert "start" in output
