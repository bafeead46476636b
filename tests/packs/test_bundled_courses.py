"""Every course in courses/ is checked like code: valid pack, figures build, code runs.

The sample pack goes through the same checks, so this file tests something even while
courses/ is empty, and a change that broke the checks themselves would show up there.
Failures name the file and line to fix.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from buildreal.packs.cli import default_outputs_dir
from buildreal.packs.execute import build_outputs, executed_blocks
from buildreal.packs.figures import FigureError, build_figures
from buildreal.packs.loader import find_courses, validate_course
from buildreal.packs.snippets import python_blocks, run_snippet

REPO = Path(__file__).resolve().parents[2]
COURSES = REPO / "courses"
SAMPLE = REPO / "tests" / "fixtures" / "sample-pack"
WORKERS = 2  # the CI machine has two cores


def _course_folders() -> list[Path]:
    return [SAMPLE, *find_courses(COURSES)] if COURSES.is_dir() else [SAMPLE]


COURSE_FOLDERS = _course_folders()
IDS = ["sample-pack" if folder == SAMPLE else folder.name for folder in COURSE_FOLDERS]


def _where(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def test_the_sample_pack_and_every_bundled_course_are_checked() -> None:
    bundled = [p for p in COURSES.iterdir() if (p / "course.yaml").is_file()] \
        if COURSES.is_dir() else []

    assert COURSE_FOLDERS[0] == SAMPLE
    assert sorted(COURSE_FOLDERS[1:]) == sorted(bundled)


@pytest.mark.parametrize("folder", COURSE_FOLDERS, ids=IDS)
def test_course_pack_has_no_problems(folder: Path) -> None:
    _course, problems = validate_course(folder)

    report = "\n".join(f"{_where(p.path)}:{p.line}: {p.message}" for p in problems)
    assert not problems, f"{len(problems)} problems (run buildreal check-pack):\n{report}"


@pytest.mark.slow
@pytest.mark.parametrize("folder", COURSE_FOLDERS, ids=IDS)
def test_every_figure_script_builds_every_figure_the_course_shows(folder: Path,
                                                                  tmp_path: Path) -> None:
    try:
        outputs = build_figures(folder, tmp_path, jobs=WORKERS)
    except FigureError as exc:
        pytest.fail("\n".join(f"{_where(f.script)}: {f.reason}" for f in exc.failures))

    built = {output.name for output in outputs}
    shown = {match for path in folder.rglob("*") if path.suffix in (".md", ".yaml")
             for match in re.findall(r"\]\(figures/([^)\s]+)", path.read_text())}
    assert shown <= built, f"shown but not built: {sorted(shown - built)}"


@pytest.mark.slow
@pytest.mark.parametrize("folder", COURSE_FOLDERS, ids=IDS)
def test_every_python_snippet_runs(folder: Path) -> None:
    # Snippets are checked even while the pack has other problems (reported above).
    course, problems = validate_course(folder)
    assert course is not None, f"{_where(folder)} cannot be read: {problems[0]}"
    snippets = python_blocks(course)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(run_snippet, snippets))

    failures = [
        f"{_where(snippet.path)}:{snippet.line}: python block failed (mark it "
        f"'python no-run' if it is a fragment):\n{output[-1500:]}"
        for snippet, (ok, output) in zip(snippets, results, strict=True) if not ok
    ]
    assert not failures, "\n\n".join(failures)
    if folder == SAMPLE:
        assert len(snippets) == 2  # the checker really found and ran the sample's code


@pytest.mark.slow
@pytest.mark.parametrize("folder", COURSE_FOLDERS, ids=IDS)
def test_every_executed_block_runs_and_its_output_is_built(folder: Path) -> None:
    # The session's one output folder (tests/conftest.py): pages, check-pack and the
    # notebooks reuse these outputs instead of running the blocks again.
    course, problems = validate_course(folder)
    assert course is not None, f"{_where(folder)} cannot be read: {problems[0]}"
    blocks = executed_blocks(course)

    report = build_outputs(blocks, default_outputs_dir(), jobs=WORKERS)

    failures = [f"{_where(f.block.path)}:{f.block.line}: python block failed:\n"
                f"{f.output.text[-1500:]}" for f in report.failures]
    assert not failures, "\n\n".join(failures)
    if folder == SAMPLE:
        assert len(blocks) == 2  # one python exec block and one predict block
