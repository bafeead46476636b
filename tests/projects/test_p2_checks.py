"""Project 2's Definition-of-Done checks: the reference passes, every realistic bug is
caught and named (the update-rule ones by the mistake they match), and an unfinished
starter is reported cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from broken.p2_optimizers import INPROCESS_VARIANTS, VARIANTS
from support_checks import assert_variant_caught
from support_p12 import REPO, Variant, broken_submission, submission

from buildreal.cli import main
from buildreal.projects.p2_optimizers.checks import CHECKS, DEFINITION_OF_DONE

run_checks = CHECKS.run


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUILDREAL_HOME", str(tmp_path / "home"))


def test_the_reference_solution_passes_every_item(tmp_path: Path) -> None:
    results = list(run_checks(submission("p2-optimizers", tmp_path)))
    assert list(dict.fromkeys(r.dod for r in results)) == list(DEFINITION_OF_DONE)
    assert [(r.dod, r.reason) for r in results if not r.passed] == []


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_each_broken_variant_fails_with_a_reason_naming_the_bug(tmp_path: Path,
                                                                 variant: Variant) -> None:
    learner = broken_submission("p2-optimizers", variant, tmp_path)
    assert_variant_caught(variant, run_checks(learner))


@pytest.mark.parametrize("variant", INPROCESS_VARIANTS, ids=lambda v: v.name)
def test_each_subtler_bug_fails_its_check_with_a_reason_naming_it(tmp_path: Path,
                                                                  variant: Variant) -> None:
    learner = broken_submission("p2-optimizers", variant, tmp_path)
    assert_variant_caught(variant, run_checks(
        learner, mode="inprocess", select=lambda c: c.label.startswith(variant.fails)))


def test_a_drifting_rule_is_reported_with_the_step_where_it_left_torch(
        tmp_path: Path) -> None:
    learner = broken_submission("p2-optimizers", VARIANTS[0], tmp_path)
    first = next(r for r in run_checks(learner) if r.check.startswith("Each update rule"))
    assert "Adam leaves torch.optim at step 1 (|Δ| = " in first.reason
    assert "SGD" not in first.reason.split(":")[0]  # the correct rules are not blamed


def test_a_fresh_starter_fails_cleanly_through_the_cli(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "p2"
    assert main(["project", "start", "p2-optimizers", str(target)]) == 0
    capsys.readouterr()
    assert main(["project", "check", "p2-optimizers", str(target)]) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL  ") == len(CHECKS.checks)
    assert "Traceback (most recent call last)" not in out
    assert "5 of 6 update rules are wrong or unfinished" in out  # SGD is given
    assert "playground/optimizers.py:" in out and "TODO: Momentum.step" in out


def test_the_project_page_lists_the_items_the_checker_judges() -> None:
    page = yaml.safe_load((REPO / "courses/deep-learning-mastery/projects/p2-optimizers.yaml")
                          .read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DEFINITION_OF_DONE
    assert page["check_command"] == "buildreal project check p2-optimizers"
    assert len(page["hints"]) >= 5
