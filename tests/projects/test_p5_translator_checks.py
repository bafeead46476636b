"""Project 5's Definition-of-Done checks: the reference passes in the sandbox, each
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

from buildreal.projects.p5_translator import PROJECT, REFERENCE_DIR
from buildreal.projects.p5_translator.checks import CHECKS, DOD

variants = load_variants(Path(__file__).parent / "broken_p5" / "variants.py",
                         "p5_broken_variants")

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _reference(tmp_path: Path) -> Path:
    shutil.copytree(REFERENCE_DIR, tmp_path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    shutil.copy(REFERENCE_DIR / "translator" / "__init__.py",
                tmp_path / "translator" / "__init__.py")
    return tmp_path


def test_reference_passes_every_definition_of_done_item_in_the_sandbox(tmp_path):
    results = list(PROJECT.run_checks(_reference(tmp_path)))
    assert list(dict.fromkeys(r.dod for r in results)) == list(DOD)
    assert len(results) == len(CHECKS.checks)
    failed = [f"{r.check}: {r.reason} {r.detail}" for r in results if not r.passed]
    assert not failed


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_broken_variant_fails_its_check_with_a_reason_naming_the_bug(variant, tmp_path):
    target = _reference(tmp_path) / "translator" / variant.file
    source = target.read_text()
    assert source.count(variant.old) == 1, f"the reference no longer has: {variant.old!r}"
    target.write_text(source.replace(variant.old, variant.new))
    assert_variant_caught(variant, CHECKS.run(
        tmp_path, mode="inprocess", select=lambda c: c.label.startswith(variant.fails)))


def test_report_without_examples_or_plot_fails_the_documentation_items(tmp_path):
    folder = _reference(tmp_path)
    (folder / "attention.png").unlink()
    report = folder / "report.md"
    text = report.read_text()
    head, examples = text.split("Examples", 1)  # drop the example table, keep the scores
    report.write_text(head + "\n".join(line for line in examples.splitlines()
                                       if not line.startswith("|")))
    results = list(CHECKS.run(folder, mode="inprocess",
                              select=lambda c: c.label.startswith("report.md")))
    assert [r.passed for r in results] == [False, False]
    assert "no such PNG" in results[0].reason
    assert "example translations in a table" in results[1].reason


def test_untouched_starter_fails_each_item_with_its_todo_not_a_crash(tmp_path):
    shutil.copytree(PROJECT.starter_dir, tmp_path, dirs_exist_ok=True)
    results = list(PROJECT.run_checks(tmp_path))
    assert len(results) == len(CHECKS.checks) and not any(r.passed for r in results)
    assert "NotImplementedError" in results[0].reason
    assert "translator/attention.py" in results[0].detail


def test_the_project_page_lists_exactly_the_items_the_checker_judges():
    page = yaml.safe_load((Path(__file__).parents[2] / "courses/deep-learning-mastery/projects"
                           / "p5-translator.yaml").read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DOD
    assert page["check_command"] == "buildreal project check p5-translator"
    assert len(page["hints"]) >= 4  # the checks point at hint layers 1 to 4


def test_the_starter_asks_for_the_api_that_the_passing_reference_has(tmp_path):
    modules = ("attention", "model", "tokenizer", "train", "decode")
    assert_starter_api_within_reference(PROJECT, "translator", modules, tmp_path,
                                        at_least=15)
