"""The final project's Definition-of-Done checks: the reference (with its RETRAINING.md)
passes in the sandbox, each broken copy fails the right check under the right DoD item
with a reason naming its mistake, and an untouched starter fails politely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support_checks import assert_variant_caught, load_variants

from buildreal.projects import registry
from buildreal.projects.p11_final import PROJECT, REFERENCE_DIR
from buildreal.projects.p11_final.checks import CHECKS, DOD

variants = load_variants(Path(__file__).parent / "broken_p11" / "variants.py",
                         "p11_broken_variants")

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _learner(tmp_path: Path) -> Path:
    shutil.copytree(REFERENCE_DIR / "catalogue", tmp_path / "catalogue",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(REFERENCE_DIR / "RETRAINING.md", tmp_path / "RETRAINING.md")
    return tmp_path


def test_reference_passes_every_definition_of_done_item_in_the_sandbox(tmp_path):
    results = list(PROJECT.run_checks(_learner(tmp_path)))
    assert list(dict.fromkeys(r.dod for r in results)) == list(DOD)
    assert len(results) == len(CHECKS.checks)
    failed = [f"{r.check}: {r.reason} {r.detail}" for r in results if not r.passed]
    assert not failed


def test_there_are_broken_variants_for_every_item():
    assert len(variants.VARIANTS) >= 8
    assert {v.item for v in variants.VARIANTS} == set(DOD)


@pytest.mark.parametrize("variant", variants.VARIANTS, ids=lambda v: v.name)
def test_broken_variant_fails_its_check_with_a_reason_naming_the_bug(variant, tmp_path):
    learner = _learner(tmp_path)
    target = learner / variant.file
    source = target.read_text()
    assert source.count(variant.old) == 1, f"the reference no longer has: {variant.old!r}"
    target.write_text(source.replace(variant.old, variant.new))
    assert_variant_caught(variant, CHECKS.run(
        learner, mode="inprocess", select=lambda c: c.label.startswith(variant.fails)))


def test_untouched_starter_fails_each_item_with_its_todo_not_a_crash(tmp_path):
    shutil.copytree(PROJECT.starter_dir, tmp_path, dirs_exist_ok=True)
    results = list(CHECKS.run(tmp_path, mode="inprocess"))
    assert len(results) == len(CHECKS.checks) and not any(r.passed for r in results)
    assert all("NotImplementedError" in r.reason for r in results)
    assert "catalogue/tracking.py" in results[0].reason + results[0].detail


def test_the_project_page_lists_exactly_the_items_the_checker_judges():
    page = yaml.safe_load((Path(__file__).parents[2] / "courses/deep-learning-mastery/projects"
                           / "p11-final.yaml").read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DOD
    assert page["check_command"] == "buildreal project check p11-final"
    assert len(page["hints"]) >= 5  # the checks point at hint layers 1 to 5


def test_final_is_another_name_for_the_final_project():
    assert registry.get("final").id == "p11-final"
    assert registry.get("11").id == "p11-final"


def test_the_starter_asks_for_the_names_and_parameters_the_reference_has():
    import importlib
    import inspect

    def params(obj: object) -> set[str]:
        return {p for p in inspect.signature(obj).parameters if p != "self"}  # type: ignore

    for name in ("backbone", "tracking", "export", "service", "drift", "retrain"):
        ours = importlib.import_module(f"buildreal.projects.p11_final.starter.catalogue.{name}")
        ref = importlib.import_module(f"buildreal.projects.p11_final.reference.catalogue.{name}")
        for attr, obj in vars(ours).items():
            if attr.startswith("_") or not callable(obj) or getattr(obj, "__module__", "") \
                    != ours.__name__:
                continue
            target = getattr(ref, attr)
            if inspect.isclass(obj):
                for m in (m for m, f in vars(obj).items() if inspect.isfunction(f)):
                    assert params(getattr(obj, m)) <= params(getattr(target, m)), (attr, m)
            elif not inspect.isclass(target):
                assert params(obj) <= params(target), attr
