"""Helpers shared by every project's Definition-of-Done tests."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from buildreal.projects.base import CheckResult


def load_variants(path: Path, module_name: str) -> ModuleType:
    """Import a folder's ``variants.py`` (the deliberately broken copies) by path."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def assert_variant_caught(variant: Any, results: Iterable[CheckResult]) -> None:
    """The check (or DoD item) ``variant.fails`` names fails with a reason containing
    ``variant.says``; when the variant names its DoD item too (``variant.item``), the
    failure is reported under that item.

    Checks are judged lazily in order, so this stops once that check is judged.
    """
    for result in results:
        if (result.check or result.dod).startswith(variant.fails):
            item = getattr(variant, "item", "")
            assert not item or result.dod == item, (result.dod, item)
            assert not result.passed, f"{variant.name} passed: {result.reason}"
            assert variant.says in result.reason, result.reason
            return
    pytest.fail(f"no DoD item starts with {variant.fails!r}")


def assert_starter_api_within_reference(project: Any, package: str, modules: Iterable[str],
                                        folder: Path, at_least: int) -> None:
    """Every function and method the starter declares exists in the reference with at
    least the same parameters, so a learner filling in the starter is called as the
    reference is; at least ``at_least`` of them are compared."""
    import importlib
    import inspect
    import shutil

    from buildreal.projects.sandbox import load_package, submodule

    shutil.copytree(project.starter_dir, folder, dirs_exist_ok=True)
    starter = load_package(folder, package)
    reference = f"buildreal.projects.{project.starter_dir.parent.name}.reference.{package}"

    def params(obj: object) -> set[str]:
        return {p for p in inspect.signature(obj).parameters if p != "self"}  # type: ignore

    checked = 0
    for name in modules:
        ours = submodule(starter, name)
        ref = importlib.import_module(f"{reference}.{name}")
        for attr, obj in vars(ours).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != ours.__name__:
                continue
            target = getattr(ref, attr)
            if inspect.isfunction(obj):
                assert params(obj) <= params(target), f"{name}.{attr}"
                checked += 1
            elif inspect.isclass(obj):
                for method, fn in vars(obj).items():
                    if inspect.isfunction(fn):
                        assert params(fn) <= params(getattr(target, method)), f"{attr}.{method}"
                        checked += 1
    assert checked >= at_least
