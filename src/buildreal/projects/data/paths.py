"""Where data sets live. Read from the environment when called, never at import."""

from __future__ import annotations

import os
from pathlib import Path


def datasets_dir() -> Path:
    """``$BUILDREAL_DATA_DIR/datasets``; the data folder defaults to ``./data``."""
    return Path(os.environ.get("BUILDREAL_DATA_DIR") or "data") / "datasets"
