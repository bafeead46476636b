"""Pack schema versions and how an older pack is brought up to date.

``course.yaml`` carries ``schema: N``. The number changes only when a pack written for
the old number would be read differently by this release (a key renamed, a default
changed, a meaning shifted); adding an optional key does not change it.

History:

- **1** (current): the format in docs/course-pack.md.

Upgrade path: when schema 2 appears, raise ``SCHEMA_VERSION`` in model.py, add 2 to
``SUPPORTED_VERSIONS`` and add ``UPGRADES[1] = _upgrade_1_to_2``: a function
``(kind, data) -> notes`` that rewrites the parsed data of one file in place (``kind`` is
``"course"``, ``"module"`` or ``"item"``; ``data`` the line-tracked mapping) and returns
a note for each change. The loader runs every step from the pack's version to the current
one on every file before validating it, and each note becomes a
:class:`PackUpgradeWarning` naming the file, so an old pack keeps loading while its author
migrates it. A number this release does not know (a newer pack, or a typo) is refused
with the list of supported versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from buildreal.packs.model import SCHEMA_VERSION


class PackUpgradeWarning(UserWarning):
    """A pack was read through an upgrade step: its author should migrate the files."""


SUPPORTED_VERSIONS: tuple[int, ...] = (1,)

# version -> function upgrading one parsed file from that version to version + 1.
Upgrade = Callable[[str, Any], list[str]]
UPGRADES: dict[int, Upgrade] = {}

__all__ = ["SCHEMA_VERSION", "SUPPORTED_VERSIONS", "UPGRADES", "PackUpgradeWarning",
           "rename_key", "schema_problem", "upgrade"]


def schema_problem(value: Any) -> str | None:
    """Why ``value`` is not a schema this release reads, or None when it is."""
    supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
    if isinstance(value, bool) or not isinstance(value, int):
        return f"'schema' must be a whole number; this release reads schema {supported}"
    if value not in SUPPORTED_VERSIONS:
        newer = " (a newer buildreal may read it)" if value > SCHEMA_VERSION else ""
        return (f"unknown schema version {value}{newer}; this release reads schema "
                f"{supported}")
    return None


def upgrade(kind: str, data: Any, version: int) -> list[str]:
    """Bring one parsed file from ``version`` to SCHEMA_VERSION in place; return notes.

    ``kind`` is ``"course"``, ``"module"`` or ``"item"``. With only schema 1 in existence
    this does nothing, but the loader calls it so a future step slots in without changes.
    """
    notes: list[str] = []
    for step in range(version, SCHEMA_VERSION):
        notes.extend(UPGRADES[step](kind, data))
    return notes


def rename_key(data: Any, old: str, new: str) -> list[str]:
    """An upgrade helper: rename a key of a line-tracked mapping, keeping its lines."""
    if not isinstance(data, dict) or old not in data or new in data:
        return []
    data[new] = data.pop(old)
    for lines in (getattr(data, "key_lines", None), getattr(data, "value_lines", None)):
        if lines is not None and old in lines:
            lines[new] = lines.pop(old)
    return [f"'{old}' is now called '{new}'"]
