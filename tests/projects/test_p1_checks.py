"""Project 1's Definition-of-Done checks: the reference passes, every realistic bug is
caught and named, and a learner's unfinished or crashing code is reported, not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from broken.p1_autodiff import INPROCESS_VARIANTS, VARIANTS
from support_checks import assert_variant_caught
from support_p12 import REPO, Variant, broken_submission, submission

from buildreal.cli import main
from buildreal.projects.p1_autodiff.checks import CHECKS, DEFINITION_OF_DONE

run_checks = CHECKS.run


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUILDREAL_HOME", str(tmp_path / "home"))


def test_the_reference_solution_passes_every_item(tmp_path: Path) -> None:
    results = list(run_checks(submission("p1-autodiff", tmp_path)))
    assert list(dict.fromkeys(r.dod for r in results)) == list(DEFINITION_OF_DONE)
    assert len(results) == len(CHECKS.checks)
    failed = [(r.dod, r.reason, r.detail) for r in results if not r.passed]
    assert failed == []


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_each_broken_variant_fails_with_a_reason_naming_the_bug(tmp_path: Path,
                                                                 variant: Variant) -> None:
    learner = broken_submission("p1-autodiff", variant, tmp_path)
    assert_variant_caught(variant, run_checks(learner))


@pytest.mark.parametrize("variant", INPROCESS_VARIANTS, ids=lambda v: v.name)
def test_each_subtler_bug_fails_its_check_with_a_reason_naming_it(tmp_path: Path,
                                                                  variant: Variant) -> None:
    learner = broken_submission("p1-autodiff", variant, tmp_path)
    assert_variant_caught(variant, run_checks(
        learner, mode="inprocess", select=lambda c: c.label.startswith(variant.fails)))


def test_a_crash_in_the_learners_code_points_at_the_line_in_their_file(
        tmp_path: Path) -> None:
    crash = Variant("tanh indexes an empty list",
                    (("engine.py", "t = np.tanh(self.data)",
                      "t = np.tanh(self.data) + [][0]"),),
                    "", "")
    learner = broken_submission("p1-autodiff", crash, tmp_path)
    first = next(r for r in run_checks(learner) if r.check.startswith("Every operation"))
    assert not first.passed
    assert "tanh: raised IndexError" in first.reason
    assert "autodiff/engine.py:" in first.detail and "in tanh" in first.detail


def test_the_cli_passes_the_reference_and_records_it(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    learner = submission("p1-autodiff", tmp_path / "mine")
    assert main(["project", "check", "p1-autodiff", str(learner)]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS  ") == len(CHECKS.checks)
    assert "All 4 items of the Definition of Done pass (8 checks)" in out
    main(["project", "list"])
    assert "checked-pass" in capsys.readouterr().out


def test_a_fresh_starter_fails_every_item_cleanly(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "p1"
    assert main(["project", "start", "p1-autodiff", str(target)]) == 0
    capsys.readouterr()
    assert main(["project", "check", "p1-autodiff"]) == 1  # the folder start remembered
    out = capsys.readouterr().out
    assert f"in {target.resolve()}" in out
    assert out.count("FAIL  ") == len(CHECKS.checks)
    assert "Traceback (most recent call last)" not in out
    assert "autodiff/engine.py:" in out and "NotImplementedError: TODO" in out
    assert "next: hint layer 2 on the p1-autodiff project page" in out
    assert "0 of 4 items pass (0 of 8 checks)" in out


def test_the_project_page_lists_the_items_the_checker_judges() -> None:
    page = yaml.safe_load((REPO / "courses/deep-learning-mastery/projects/p1-autodiff.yaml")
                          .read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DEFINITION_OF_DONE
    assert page["check_command"] == "buildreal project check p1-autodiff"
    assert len(page["hints"]) >= 5  # the checks point at hint layers 1 to 5
