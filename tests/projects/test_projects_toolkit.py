"""`buildreal project list|start|check|demo` as a learner meets it: progress in a local
state file, starters that never clobber work, and checks that survive hostile code."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from support_p12 import REPO

from buildreal.cli import main
from buildreal.projects import registry
from buildreal.projects.sandbox import Judge


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("BUILDREAL_HOME", str(path))
    return path


def _row(out: str, project_id: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(project_id))


def test_list_shows_each_project_with_difficulty_hours_and_status(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "list"]) == 0
    out = capsys.readouterr().out
    assert "Advanced" in _row(out, "p1-autodiff") and "20-40" in _row(out, "p1-autodiff")
    assert "Intermediate" in _row(out, "p2-optimizers")
    assert _row(out, "p1-autodiff").endswith("not started")


def test_projects_are_discovered_in_number_order() -> None:
    numbers = [spec.number for spec in registry.all_projects()]
    assert numbers[:2] == [1, 2] and numbers == sorted(numbers)
    assert registry.get("2").id == "p2-optimizers"


def test_start_writes_the_starter_and_marks_the_project_started(
        tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "work"
    assert main(["project", "start", "p2-optimizers", str(target)]) == 0
    for rel in ("README.md", "NOTES.md", "example.py", "playground/optimizers.py",
                "playground/runs.py"):
        assert (target / rel).is_file(), rel
    assert "def step(self, params" in (target / "playground/optimizers.py").read_text()
    state = json.loads((home / "projects.json").read_text())
    assert state["p2-optimizers"]["status"] == "started"
    assert state["p2-optimizers"]["dir"] == str(target.resolve())
    main(["project", "list"])
    assert _row(capsys.readouterr().out, "p2-optimizers").endswith("started")


def test_start_refuses_to_overwrite_a_changed_file_without_force(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "work"
    main(["project", "start", "p1-autodiff", str(target)])
    (target / "NOTES.md").write_text("my own notes")
    (target / "README.md").unlink()
    capsys.readouterr()
    assert main(["project", "start", "p1-autodiff", str(target)]) == 1
    err = capsys.readouterr().err
    assert "NOTES.md" in err and "--force" in err
    assert (target / "NOTES.md").read_text() == "my own notes"
    assert not (target / "README.md").exists()  # refusing means writing nothing at all


def test_start_with_force_restores_the_starter(tmp_path: Path) -> None:
    target = tmp_path / "work"
    main(["project", "start", "p1-autodiff", str(target)])
    (target / "NOTES.md").write_text("my own notes")
    assert main(["project", "start", "p1-autodiff", str(target), "--force"]) == 0
    assert "TODO" in (target / "NOTES.md").read_text()


@pytest.mark.parametrize(("answer", "kept"), [("n", True), ("", True), ("y", False)])
def test_start_asks_before_overwriting_on_a_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, kept: bool) -> None:
    target = tmp_path / "work"
    main(["project", "start", "p1-autodiff", str(target)])
    (target / "NOTES.md").write_text("my own notes")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    questions: list[str] = []
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or answer)
    assert main(["project", "start", "p1-autodiff", str(target)]) == 0
    assert "NOTES.md" in questions[0] and "[y/N]" in questions[0]
    assert ((target / "NOTES.md").read_text() == "my own notes") is kept


def test_an_unknown_project_is_answered_with_the_known_ids(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "check", "p99-nothing"]) == 2
    err = capsys.readouterr().err
    assert "no project 'p99-nothing'" in err and "p1-autodiff" in err


def test_checking_a_missing_folder_says_to_start_first(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "check", "p1-autodiff", str(tmp_path / "nope")]) == 2
    assert "buildreal project start p1-autodiff" in capsys.readouterr().err


def test_an_infinite_loop_in_the_learners_code_is_stopped_and_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "autodiff").mkdir()
    (tmp_path / "autodiff" / "__init__.py").write_text("while True:\n    pass\n")
    assert main(["project", "check", "p1-autodiff", str(tmp_path), "--timeout", "4"]) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL  ") == 8
    assert "the whole check ran out of time" in out


def test_a_learner_killing_the_interpreter_fails_the_check_not_the_tool(
        tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "playground").mkdir()
    (tmp_path / "playground" / "__init__.py").write_text("import os\nos._exit(7)\n")
    assert main(["project", "check", "p2-optimizers", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL  ") == 8 and "exit code 7" in out
    assert json.loads((home / "projects.json").read_text())["p2-optimizers"]["status"] == \
        "checked-fail"


def test_a_check_item_that_runs_too_long_fails_alone(tmp_path: Path) -> None:
    def forever() -> str:
        while True:
            pass

    result = Judge(tmp_path, item_time_limit_s=0.3).run("loops", 2, forever)
    assert not result.passed and "still running after 0.3 s" in result.reason
    assert result.hint_layer == 2


def test_an_unreadable_progress_file_is_ignored_with_a_warning(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir(parents=True)
    (home / "projects.json").write_text("{not json")
    assert main(["project", "list"]) == 0
    captured = capsys.readouterr()
    assert "ignoring unreadable progress file" in captured.err
    assert _row(captured.out, "p1-autodiff").endswith("not started")


@pytest.mark.parametrize("project_id", ["p1-autodiff", "p2-optimizers"])
def test_the_projects_console_scripts_are_installed_by_the_package(project_id: str) -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    spec = registry.get(project_id)
    assert spec.console_scripts
    for name in spec.console_scripts:
        module, _, func = scripts[name].partition(":")
        assert callable(getattr(__import__(module, fromlist=[func]), func)), name


def test_demo_runs_the_reference_with_the_given_arguments(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "demo", "p1-autodiff", "--steps", "5", "--every", "1",
                 "--no-plot"]) == 0
    assert capsys.readouterr().out.count("loss: ") == 5


@pytest.mark.parametrize(("project_id", "package", "modules"), [
    ("p1-autodiff", "autodiff", ("engine", "nn", "gradcheck", "graph")),
    ("p2-optimizers", "playground", ("optimizers", "schedules", "surfaces", "runs", "plots")),
])
def test_the_starter_asks_for_the_api_that_the_passing_reference_has(
        tmp_path: Path, project_id: str, package: str, modules: tuple[str, ...]) -> None:
    """A learner who fills in the starter is called the way the reference is, and the
    reference passes every check; so the starter cannot promise an API the checks skip."""
    import dataclasses
    import importlib
    import inspect

    from buildreal.projects.sandbox import load_package, submodule

    main(["project", "start", project_id, str(tmp_path / "s")])
    starter = load_package(tmp_path / "s", package)
    reference_pkg = registry.get(project_id).starter_dir.parent / "reference"
    assert reference_pkg.is_dir()

    def params(obj: object) -> list[str]:
        return [p for p in inspect.signature(obj).parameters if p != "self"]  # type: ignore

    for name in modules:
        ours = submodule(starter, name)
        ref = importlib.import_module(
            f"buildreal.projects.{project_id.replace('-', '_')}.reference.{name}")
        for attr, obj in vars(ours).items():
            if attr.startswith("_") or not (inspect.isclass(obj) or inspect.isfunction(obj)) \
                    or obj.__module__ != ours.__name__:
                continue  # constants, and names imported from elsewhere
            assert hasattr(ref, attr), f"{name}.{attr} is in the starter, not the reference"
            target = getattr(ref, attr)
            if inspect.isclass(obj):
                methods = [m for m, f in vars(obj).items() if callable(f) and
                           (not m.startswith("_") or m in ("__init__", "__call__"))]
                for m in methods:
                    if m == "__init__" and dataclasses.is_dataclass(obj):
                        continue  # plain records; the checks only read their fields
                    assert set(params(getattr(obj, m))) <= set(params(getattr(target, m))), \
                        f"{name}.{attr}.{m}"
            else:
                assert set(params(obj)) <= set(params(target)), f"{name}.{attr}"


@pytest.mark.parametrize(("project_id", "package", "expect"), [
    ("p1-autodiff", "autodiff", "dL/da = -24.0"),
    ("p2-optimizers", "playground", "| adam |"),
])
def test_the_starters_example_runs_once_the_todos_are_done(
        tmp_path: Path, project_id: str, package: str, expect: str) -> None:
    """The README's first step, `python example.py`, works on a finished package."""
    target = tmp_path / "s"
    main(["project", "start", project_id, str(target)])
    shutil.rmtree(target / package)
    shutil.copytree(registry.get(project_id).starter_dir.parent / "reference", target / package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "example.py"], cwd=target, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert expect in done.stdout
