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
