"""Where data sets live. Read from the environment when called, never at import."""

from __future__ import annotations

import os
from pathlib import Path


def _checkout_data() -> Path | None:
    """``<checkout>/data/datasets`` when buildreal runs from a source checkout."""
    root = Path(__file__).resolve().parents[4]  # src/buildreal/projects/data/paths.py
    candidate = root / "data" / "datasets"
    return candidate if (root / "pyproject.toml").is_file() and candidate.is_dir() else None


def datasets_dir() -> Path:
    """``$BUILDREAL_DATA_DIR/datasets``; without the variable, ``./data/datasets``.

    When ``./data/datasets`` does not exist but the checkout's does, the checkout's is
    used: `buildreal project check` runs the learner's code from a temporary folder and
    a learner's project folder is rarely the repository root, yet the data set fetched
    once by scripts/setup.sh should still be found.
    """
    configured = os.environ.get("BUILDREAL_DATA_DIR")
    if configured:
        return Path(configured) / "datasets"
    local = Path("data") / "datasets"
    if local.is_dir():
        return local
    return _checkout_data() or local
