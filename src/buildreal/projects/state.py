"""The learner's local progress on each project, in a small JSON file.

The file lives in ``$BUILDREAL_HOME`` (default ``~/.buildreal``) as ``projects.json``:
``{"p1-autodiff": {"status": "checked-fail", "dir": "/home/me/p1", "updated": "..."}}``.
It is a convenience for ``buildreal project list``, not a record of truth (the server
keeps that), so an unreadable file is reported and treated as empty rather than fatal.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Status = Literal["not started", "started", "checked-pass", "checked-fail"]
STATE_FILE = "projects.json"


def home() -> Path:
    """The folder for buildreal's local files, read from the environment when used."""
    configured = os.environ.get("BUILDREAL_HOME")
    return Path(configured).expanduser() if configured else Path.home() / ".buildreal"


def _path() -> Path:
    return home() / STATE_FILE


def load() -> dict[str, dict[str, str]]:
    path = _path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(
            f"warning: ignoring unreadable progress file {path} ({exc}); "
            "delete it to start afresh.",
            file=sys.stderr,
        )
        return {}
    return data if isinstance(data, dict) else {}


def status_of(project_id: str) -> Status:
    entry = load().get(project_id) or {}
    status = entry.get("status", "not started")
    if status not in ("started", "checked-pass", "checked-fail"):
        return "not started"
    return status  # type: ignore[return-value]


def record(project_id: str, status: Status, directory: Path, now: datetime | None = None) -> None:
    """Store a project's status; written to a temporary file first so a crash never
    leaves half a JSON document behind."""
    data = load()
    data[project_id] = {
        "status": status,
        "dir": str(directory.resolve()),
        "updated": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
    }
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
