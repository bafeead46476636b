"""Project 10's Definition-of-Done checks: the reference (with a real run's
benchmarks.json and RETRAINING.md) passes in the sandbox, each broken copy fails the right
check under the right DoD item with a reason naming its mistake, and an untouched starter
fails politely."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy import stats
from support_checks import assert_variant_caught, load_variants

from buildreal.projects.p10_inference import PROJECT, REFERENCE_DIR
from buildreal.projects.p10_inference.checks import CHECKS, DOD
from buildreal.projects.p10_inference.reference.serving import drift

variants = load_variants(Path(__file__).parent / "broken_p10" / "variants.py",
                         "p10_broken_variants")
RUN = Path(__file__).parent / "p10_learner"  # benchmarks.json and RETRAINING.md of a real run

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _learner(tmp_path: Path) -> Path:
    shutil.copytree(REFERENCE_DIR / "serving", tmp_path / "serving",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("benchmarks.json", "RETRAINING.md"):
        shutil.copyfile(RUN / name, tmp_path / name)
    return tmp_path


def test_reference_passes_every_definition_of_done_item_in_the_sandbox(tmp_path):
    results = list(PROJECT.run_checks(_learner(tmp_path)))
    assert list(dict.fromkeys(r.dod for r in results)) == list(DOD)
    assert len(results) == len(CHECKS.checks)
    failed = [f"{r.check}: {r.reason} {r.detail}" for r in results if not r.passed]
    assert not failed


def test_there_are_at_least_eight_broken_variants_covering_every_item():
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
    assert "NotImplementedError" in results[0].reason
    assert "serving/preprocess.py" in results[0].reason + results[0].detail
    assert "benchmarks.json is missing" in " ".join(r.reason for r in results)


def test_reference_ks_matches_scipy_statistic_exactly_and_p_value_closely():
    rng = np.random.default_rng(3)
    ref = rng.normal(size=1500)
    for live in (rng.normal(0.2, 1, 200), rng.normal(0, 1.3, 400),
                 rng.integers(0, 6, 250).astype(float)):  # ties too
        d, p = drift.ks_2samp(ref, live)
        want = stats.ks_2samp(ref, live)
        assert d == pytest.approx(want.statistic, abs=1e-12)
        assert abs(p - want.pvalue) < 0.02


def test_reference_psi_is_zero_on_identical_data_and_grows_with_the_shift():
    rng = np.random.default_rng(4)
    ref = rng.normal(size=5000)
    assert drift.psi(ref, ref) == pytest.approx(0.0, abs=1e-12)
    values = [drift.psi(ref, ref + shift) for shift in (0.1, 0.5, 1.0)]
    assert values == sorted(values) and values[0] > 0


def test_the_project_page_lists_exactly_the_items_the_checker_judges():
    page = yaml.safe_load((Path(__file__).parents[2] / "courses/deep-learning-mastery/projects"
                           / "p10-inference.yaml").read_text(encoding="utf-8"))
    assert tuple(page["definition_of_done"]) == DOD
    assert page["check_command"] == "buildreal project check p10-inference"
    assert len(page["hints"]) >= 4  # the checks point at hint layers 1 to 4


def test_run_inference_service_is_a_console_script_of_the_package():
    import tomllib

    scripts = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    module, _, func = scripts["project"]["scripts"]["run_inference_service"].partition(":")
    assert PROJECT.console_scripts == ("run_inference_service",)
    assert callable(getattr(__import__(module, fromlist=[func]), func))


def test_the_starter_asks_for_the_names_and_parameters_the_reference_has():
    import importlib
    import inspect

    def params(obj: object) -> set[str]:
        return {p for p in inspect.signature(obj).parameters if p != "self"}  # type: ignore

    for name in ("preprocess", "model", "export", "service", "bench", "drift", "retrain"):
        ours = importlib.import_module(f"buildreal.projects.p10_inference.starter.serving.{name}")
        ref = importlib.import_module(f"buildreal.projects.p10_inference.reference.serving.{name}")
        for attr, obj in vars(ours).items():
            if attr.startswith("_") or not callable(obj) or getattr(obj, "__module__", "") \
                    != ours.__name__:
                continue
            target = getattr(ref, attr)
            if inspect.isclass(obj):
                for m in (m for m, f in vars(obj).items() if inspect.isfunction(f)):
                    assert params(getattr(obj, m)) <= params(getattr(target, m)), (attr, m)
            else:
                assert params(obj) <= params(target), attr
