"""Shared helpers for the Project 1 and 2 tests: build a learner folder from the
reference solution, and apply one deliberate bug to it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROJECTS = REPO / "src" / "buildreal" / "projects"

# project id -> (reference folder, the learner's package name, the docs page used as NOTES.md)
LAYOUT = {
    "p1-autodiff": (PROJECTS / "p1_autodiff" / "reference", "autodiff",
                    REPO / "docs" / "projects" / "p1-autodiff.md"),
    "p2-optimizers": (PROJECTS / "p2_optimizers" / "reference", "playground",
                      REPO / "docs" / "projects" / "p2-optimizers.md"),
}


@dataclass(frozen=True)
class Variant:
    """A realistic bug: text edits on reference files, the DoD item that must fail, and a
    fragment its reason must contain (the name of what is wrong)."""

    name: str
    edits: tuple[tuple[str, str, str], ...]  # (file in the package, old text, new text)
    fails: str  # the check's label (or a prefix of it)
    says: str
    item: str = ""  # the DoD item (notes' wording) the failure must be reported under


def submission(project_id: str, target: Path) -> Path:
    """A learner folder holding the reference solution and its NOTES.md."""
    reference, package, notes = LAYOUT[project_id]
    shutil.copytree(reference, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(notes, target / "NOTES.md")
    return target


def broken_submission(project_id: str, variant: Variant, target: Path) -> Path:
    submission(project_id, target)
    package = LAYOUT[project_id][1]
    for file, old, new in variant.edits:
        path = target / package / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{variant.name}: {old!r} is not once in {file} any more"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return target
