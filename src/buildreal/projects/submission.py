"""What a checked project sends to the site, and how an instructor re-runs it.

The payload names the DoD items in the notes' wording with their verdicts, the toolkit
version that judged them, the sandbox mode, and the SHA-256 of every learner file, so an
instructor can confirm that the code they re-run is the code that was judged.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from buildreal.projects.base import CheckResult, ProjectSpec

_SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", ".venv", "runs", "data"}
_SKIP_SUFFIXES = {".pyc", ".pt", ".pth", ".npy", ".npz", ".png", ".svg", ".gz"}
MAX_FILE = 5 * 2**20


def toolkit_version() -> str:
    try:
        return metadata.version("buildreal")
    except metadata.PackageNotFoundError:
        return "unknown"


def learner_files(learner_dir: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of the learner's source and text files (data,
    checkpoints, figures and caches are left out; links are not followed)."""
    root = learner_dir.resolve()
    hashes = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if _SKIP_DIRS.intersection(rel.parts[:-1]) or path.is_symlink() or not path.is_file():
            continue
        if path.suffix in _SKIP_SUFFIXES or path.stat().st_size > MAX_FILE:
            continue
        hashes[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def build_submission(spec: ProjectSpec, learner_dir: Path, results: list[CheckResult],
                     seconds: float, sandbox: str = "", now: datetime | None = None
                     ) -> dict[str, Any]:
    """The payload for ``--submit``: each DoD item (notes' wording, in order) with its
    checks and verdicts, time taken, toolkit version and hashes of the learner's files."""
    items = []
    order = list(spec.definition_of_done) or list(dict.fromkeys(r.dod for r in results))
    for dod in order:
        mine = [r for r in results if r.dod == dod]
        items.append({
            "item": dod,
            "passed": bool(mine) and all(r.passed for r in mine),
            "checks": [{"check": r.check or r.dod, "passed": r.passed, "reason": r.reason}
                       for r in mine],
        })
    return {
        "project": spec.id,
        "toolkit_version": toolkit_version(),
        "checked_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "seconds": round(seconds, 1),
        "sandbox": sandbox,
        "passed": bool(items) and all(i["passed"] for i in items),
        "definition_of_done": items,
        "files": learner_files(learner_dir),
    }


def compare_files(submission: dict[str, Any], learner_dir: Path) -> list[str]:
    """How ``learner_dir`` differs from the files the submission hashed (empty: same)."""
    recorded = submission.get("files") or {}
    present = learner_files(learner_dir)
    problems = [f"{name}: missing" for name in sorted(set(recorded) - set(present))]
    problems += [f"{name}: not in the submission" for name in sorted(set(present) - set(recorded))]
    problems += [f"{name}: different content" for name in sorted(set(recorded) & set(present))
                 if recorded[name] != present[name]]
    return problems


def compare_verdicts(submission: dict[str, Any], rerun: dict[str, Any]) -> list[str]:
    """Checks whose verdict in the re-run differs from the submitted one."""
    def verdicts(payload: dict[str, Any]) -> dict[tuple[str, str], bool]:
        return {(i["item"], c["check"]): bool(c["passed"])
                for i in payload.get("definition_of_done", []) for c in i.get("checks", [])}

    before, after = verdicts(submission), verdicts(rerun)
    out = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            word = {True: "PASS", False: "FAIL", None: "absent"}
            out.append(f"{key[0]} / {key[1]}: submitted {word[before.get(key)]}, re-run "
                       f"{word[after.get(key)]}")
    return out
