"""Write a project's starter files into the learner's folder without clobbering work."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

_SKIP = {"__pycache__", ".DS_Store"}


@dataclass(frozen=True)
class StarterPlan:
    """What ``start`` would write: new files, and existing files whose content differs."""

    source: Path
    target: Path
    new: tuple[Path, ...]  # relative paths
    conflicts: tuple[Path, ...]  # relative paths that exist with other content


def plan(starter_dir: Path, target: Path) -> StarterPlan:
    new: list[Path] = []
    conflicts: list[Path] = []
    for src in sorted(starter_dir.rglob("*")):
        rel = src.relative_to(starter_dir)
        if src.is_dir() or _SKIP.intersection(rel.parts) or src.suffix == ".pyc":
            continue
        dst = target / rel
        if not dst.exists():
            new.append(rel)
        elif dst.is_dir() or dst.read_bytes() != src.read_bytes():
            conflicts.append(rel)
    return StarterPlan(starter_dir, target, tuple(new), tuple(conflicts))


def write(p: StarterPlan, overwrite: bool) -> list[Path]:
    """Copy the planned files; conflicts only when ``overwrite``. Returns what was written."""
    written = []
    for rel in p.new + (p.conflicts if overwrite else ()):
        dst = p.target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.is_dir():
            raise IsADirectoryError(f"{dst} is a folder; move it away and run start again")
        shutil.copyfile(p.source / rel, dst)
        written.append(rel)
    return written
