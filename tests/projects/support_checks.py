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
    """The DoD item ``variant.fails`` names fails with a reason containing ``variant.says``.

    Checks are judged lazily in DoD order, so this stops once that item is judged.
    """
    for result in results:
        if result.dod.startswith(variant.fails):
            assert not result.passed, f"{variant.name} passed: {result.reason}"
            assert variant.says in result.reason, result.reason
            return
    pytest.fail(f"no DoD item starts with {variant.fails!r}")
