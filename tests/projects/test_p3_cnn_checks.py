"""Project 3's Definition-of-Done checks: the reference (with a real run's report) passes
in the sandbox, each broken copy fails the right check under the right DoD item with a
reason naming its bug, and an untouched starter fails politely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support_checks import assert_variant_caught, load_variants

from buildreal.cli import main as cli_main
from buildreal.projects.p3_cnn import PROJECT, REFERENCE_DIR
from buildreal.projects.p3_cnn.checks import CHECKS, DOD

variants = load_variants(Path(__file__).parent / "broken_p3" / "variants.py",
                         "p3_broken_variants")
REPORT = Path(__file__).parent / "p3_learner"  # report.md and results.json of a real run

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _learner(tmp_path: Path) -> Path:
    shutil.copytree(REFERENCE_DIR / "cnn", tmp_path / "cnn",
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


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_broken_variant_fails_its_check_with_a_reason_naming_the_bug(variant, tmp_path):
    learner = _learner(tmp_path)
    target = learner / "cnn" / variant.file
    source = target.read_text()
    assert source.count(variant.old) == 1, f"the reference no longer has: {variant.old!r}"
    target.write_text(source.replace(variant.old, variant.new))
    assert_variant_caught(variant, CHECKS.run(
        learner, mode="inprocess", select=lambda c: c.label.startswith(variant.fails)))


def test_untouched_starter_fails_each_item_with_its_todo_not_a_crash(tmp_path):
    shutil.copytree(PROJECT.starter_dir, tmp_path, dirs_exist_ok=True)
    results = list(PROJECT.run_checks(tmp_path))
    assert len(results) == len(CHECKS.checks) and not any(r.passed for r in results)
    assert "NotImplementedError" in results[0].reason
    assert "cnn/model.py" in results[0].detail  # the learner's own line is pointed at
    assert "report.md and results.json are missing" in " ".join(r.reason for r in results)


def test_missing_package_is_reported_with_the_start_command(tmp_path):
    results = list(PROJECT.run_checks(tmp_path))
    assert not any(r.passed for r in results)
    assert "buildreal project start" in results[0].reason


def test_the_project_page_lists_exactly_the_items_the_checker_judges():
    page = yaml.safe_load((Path(__file__).parents[2] / "courses/deep-learning-mastery/projects"
                           / "p3-cnn.yaml").read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DOD
    assert page["check_command"] == "buildreal project check p3-cnn"
    assert len(page["hints"]) >= 4  # the checks point at hint layers 1 to 4


def test_check_command_on_an_empty_folder_fails_with_the_start_command(tmp_path, capsys):
    assert cli_main(["project", "check", "p3-cnn", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL  ") == len(CHECKS.checks) and "buildreal project start" in out
