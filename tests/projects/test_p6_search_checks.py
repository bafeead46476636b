"""Project 6's Definition-of-Done checks: the reference passes in the sandbox, each
broken copy fails the right check under the right DoD item with a reason naming its
bug, and an untouched starter fails politely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support_checks import (
    assert_starter_api_within_reference,
    assert_variant_caught,
    load_variants,
)

from buildreal.projects.p6_search import PROJECT, REFERENCE_DIR
from buildreal.projects.p6_search.checks import CHECKS, DOD

variants = load_variants(Path(__file__).parent / "broken_p6" / "variants.py",
                         "p6_broken_variants")

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _reference(tmp_path: Path) -> Path:
    shutil.copytree(REFERENCE_DIR, tmp_path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_reference_passes_every_definition_of_done_item_in_the_sandbox(tmp_path):
    results = list(PROJECT.run_checks(_reference(tmp_path)))
    assert list(dict.fromkeys(r.dod for r in results)) == list(DOD)
    assert len(results) == len(CHECKS.checks)
    failed = [f"{r.check}: {r.reason} {r.detail}" for r in results if not r.passed]
    assert not failed


def test_there_are_at_least_five_broken_variants_over_every_item():
    assert len(variants.VARIANTS) >= 5
    assert {v.item for v in variants.VARIANTS} == set(DOD)


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_broken_variant_fails_its_check_with_a_reason_naming_the_bug(variant, tmp_path):
    target = _reference(tmp_path) / "encoder" / variant.file
    source = target.read_text()
    assert source.count(variant.old) == 1, f"the reference no longer has: {variant.old!r}"
    target.write_text(source.replace(variant.old, variant.new))
    assert_variant_caught(variant, CHECKS.run(
        tmp_path, mode="inprocess", select=lambda c: c.label.startswith(variant.fails)))


def test_report_without_numbers_fails_the_documentation_item(tmp_path):
    folder = _reference(tmp_path)
    (folder / "report.md").write_text("# Report\n\nIt works well.\n")
    results = list(CHECKS.run(folder, mode="inprocess",
                              select=lambda c: c.label.startswith("report.md")))
    assert len(results) == 1 and not results[0].passed
    assert "MRR" in results[0].reason and "latency" in results[0].reason


def test_untouched_starter_fails_each_item_with_its_todo_not_a_crash(tmp_path):
    shutil.copytree(PROJECT.starter_dir, tmp_path, dirs_exist_ok=True)
    results = list(CHECKS.run(tmp_path, mode="inprocess"))
    assert len(results) == len(CHECKS.checks) and not any(r.passed for r in results)
    assert "NotImplementedError" in results[0].reason
    assert "encoder/model.py" in results[0].detail


def test_the_project_page_lists_exactly_the_items_the_checker_judges():
    page = yaml.safe_load((Path(__file__).parents[2] / "courses/deep-learning-mastery/projects"
                           / "p6-search.yaml").read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DOD
    assert page["check_command"] == "buildreal project check p6-search"
    assert len(page["hints"]) >= 4  # the checks point at hint layers 1 to 4


def test_the_starter_asks_for_the_api_that_the_passing_reference_has(tmp_path):
    modules = ("model", "loss", "train", "metrics", "search", "tokenize")
    assert_starter_api_within_reference(PROJECT, "encoder", modules, tmp_path,
                                        at_least=12)
