"""Shared helpers for the pack tests: a writable copy of the sample pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLE_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "sample-pack"


class PackCopy:
    """A copy of the sample pack in a temporary folder, edited one file at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def replace(self, relative: str, old: str, new: str) -> Path:
        text = self.read(relative)
        assert old in text, f"test setup: {old!r} not in {relative}"
        return self.write(relative, text.replace(old, new, 1))

    def line_of(self, relative: str, needle: str) -> int:
        """1-based line of the first line containing ``needle``."""
        for number, line in enumerate(self.read(relative).splitlines(), 1):
            if needle in line:
                return number
        raise AssertionError(f"test setup: {needle!r} not in {relative}")


@pytest.fixture
def sample_pack() -> Path:
    return SAMPLE_PACK


@pytest.fixture
def pack(tmp_path: Path) -> PackCopy:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE_PACK, root)
    return PackCopy(root)
