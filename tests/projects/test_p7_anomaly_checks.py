"""Project 7's Definition-of-Done checks: the reference (with a real run's report) passes
in the sandbox, each broken copy fails the right check under the right DoD item with a
reason naming its bug, and an untouched starter fails politely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support_checks import assert_variant_caught, load_variants

from buildreal.projects.p7_anomaly import PROJECT, REFERENCE_DIR
from buildreal.projects.p7_anomaly.checks import CHECKS, DOD

variants = load_variants(Path(__file__).parent / "broken_p7" / "variants.py",
                         "p7_broken_variants")
REPORT = Path(__file__).parent / "p7_learner"  # report.md and results.json of a real run

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _learner(tmp_path: Path) -> Path:
    shutil.copytree(REFERENCE_DIR / "anomaly", tmp_path / "anomaly",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("report.md", "results.json"):
        shutil.copyfile(REPORT / name, tmp_path / name)
    return tmp_path


def test_reference_passes_every_definition_of_done_item_in_the_sandbox(tmp_path):
    results = list(PROJECT.run_checks(_learner(tmp_path)))
    assert list(dict.fromkeys(r.dod for r in results)) == list(DOD)
    assert len(results) == len(CHECKS.checks)
    failed = [f"{r.check}: {r.reason} {r.detail}" for r in results if not r.passed]
    assert not failed


def test_at_least_eight_broken_variants_cover_every_definition_of_done_item():
    assert len(variants.VARIANTS) >= 8
    assert {v.item for v in variants.VARIANTS} == set(DOD)


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_broken_variant_fails_its_check_with_a_reason_naming_the_bug(variant, tmp_path):
    learner = _learner(tmp_path)
    target = learner / "anomaly" / variant.file
    source = target.read_text()
    assert source.count(variant.old) == 1, f"the reference no longer has: {variant.old!r}"
    target.write_text(source.replace(variant.old, variant.new))
    assert_variant_caught(variant, CHECKS.run(
        learner, mode="inprocess", select=lambda c: c.label.startswith(variant.fails)))


def test_report_without_the_threshold_target_fails_the_justification(tmp_path):
    learner = _learner(tmp_path)
    report = learner / "report.md"
    report.write_text(report.read_text().replace("false-positive rate", "rate").replace("FPR", ""))
    results = list(CHECKS.run(learner, mode="inprocess",
                              select=lambda c: c.label.startswith("The report states")))
    assert not results[0].passed and "target" in results[0].reason


def test_untouched_starter_fails_each_item_with_its_todo_not_a_crash(tmp_path):
    shutil.copytree(PROJECT.starter_dir, tmp_path, dirs_exist_ok=True)
    results = list(PROJECT.run_checks(tmp_path))
    assert len(results) == len(CHECKS.checks) and not any(r.passed for r in results)
    assert "NotImplementedError" in results[0].reason
    assert "anomaly/" in results[0].detail  # the learner's own line is pointed at
    assert "report.md and results.json are missing" in " ".join(r.reason for r in results)


def test_the_project_page_lists_exactly_the_items_the_checker_judges():
    page = yaml.safe_load((Path(__file__).parents[2] / "courses/deep-learning-mastery/projects"
                           / "p7-anomaly.yaml").read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DOD
    assert page["check_command"] == "buildreal project check p7-anomaly"
    assert len(page["hints"]) >= 4  # the checks point at hint layers 1 to 4
