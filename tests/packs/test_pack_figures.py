"""Figure scripts run from the course folder, and only when they changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from buildreal.packs.figures import FigureError, build_figures

# Writes its output and counts its runs in a file beside the course, so a test can tell
# whether the script ran again.
COUNTING_SCRIPT = """\
import os, sys
from pathlib import Path
runs = Path("runs.txt")
runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
Path(sys.argv[1]).write_text("<svg>" + os.environ["MPLBACKEND"] + "</svg>")
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    (root / "figures").mkdir(parents=True)
    (root / "figures" / "counter.py").write_text(COUNTING_SCRIPT)
    return root


def test_script_writes_its_figure_with_the_agg_backend(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    outputs = build_figures(course, out)

    assert outputs == [out / "counter.svg"]
    assert (out / "counter.svg").read_text() == "<svg>Agg</svg>"


def test_up_to_date_figure_is_not_rebuilt(course: Path, tmp_path: Path) -> None:
    build_figures(course, tmp_path / "out")

    outputs = build_figures(course, tmp_path / "out")

    assert outputs == [tmp_path / "out" / "counter.svg"]
    assert (course / "runs.txt").read_text() == "x"


def test_changed_script_is_rebuilt(course: Path, tmp_path: Path) -> None:
    build_figures(course, tmp_path / "out")
    script = course / "figures" / "counter.py"
    script.write_text(script.read_text() + "# tweaked\n")

    build_figures(course, tmp_path / "out")

    assert (course / "runs.txt").read_text() == "xx"


def test_png_is_built_when_the_pack_asks_for_png(course: Path, tmp_path: Path) -> None:
    (course / "lesson.md").write_text("![counts](figures/counter.png)\n")

    assert build_figures(course, tmp_path / "out") == [tmp_path / "out" / "counter.png"]


def test_failing_script_is_named_with_its_stderr_after_the_others_ran(
        course: Path, tmp_path: Path) -> None:
    (course / "figures" / "broken.py").write_text(
        "import sys\nprint('loading data', file=sys.stderr)\n"
        "raise ValueError('column loss is missing')\n")

    with pytest.raises(FigureError) as caught:
        build_figures(course, tmp_path / "out")

    [failure] = caught.value.failures
    assert failure.script == course.resolve() / "figures" / "broken.py"
    assert "exited with status 1" in failure.reason
    assert "ValueError: column loss is missing" in failure.reason
    assert "loading data" in failure.reason
    assert (tmp_path / "out" / "counter.svg").is_file()
    assert not (tmp_path / "out" / "broken.svg").exists()


def test_script_that_writes_nothing_is_a_failure(course: Path, tmp_path: Path) -> None:
    (course / "figures" / "lazy.py").write_text("print('done')\n")

    with pytest.raises(FigureError, match="wrote nothing to the output path"):
        build_figures(course, tmp_path / "out")


def test_failed_rebuild_keeps_no_stale_stamp(course: Path, tmp_path: Path) -> None:
    build_figures(course, tmp_path / "out")
    (course / "figures" / "counter.py").write_text("raise SystemExit(3)\n")

    with pytest.raises(FigureError, match="exited with status 3"):
        build_figures(course, tmp_path / "out")
    with pytest.raises(FigureError):  # still failing: not mistaken for up to date
        build_figures(course, tmp_path / "out")


def test_pack_without_figures_builds_nothing(tmp_path: Path) -> None:
    assert build_figures(tmp_path, tmp_path / "out") == []
