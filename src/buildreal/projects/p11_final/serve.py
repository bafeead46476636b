"""The app factory uvicorn imports in each worker (``--workers N`` needs an import
string, not an app object): it reads its settings from the environment the launcher set.

    BUILDREAL_FINAL_OUT          the model folder (model.onnx, model.pt)
    BUILDREAL_FINAL_TEXT         "1": load Projects 5 and 6 for /search (default), "0": off
    BUILDREAL_FINAL_TEXT_PRESET  their preset ("small"; "tiny" for quick runs)
    BUILDREAL_FINAL_MODELS       their models folder ("": their default)
    PROMETHEUS_MULTIPROC_DIR     set by the launcher when there are several workers
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def create() -> Any:
    """Build the service for this worker."""
    from buildreal.projects.p11_final import pipeline

    out = Path(os.environ.get("BUILDREAL_FINAL_OUT", "runs/final"))
    text = None
    if os.environ.get("BUILDREAL_FINAL_TEXT", "1") == "1":
        models = os.environ.get("BUILDREAL_FINAL_MODELS") or None
        text = pipeline.load_text_side(
            Path(models) if models else None,
            preset=os.environ.get("BUILDREAL_FINAL_TEXT_PRESET", "small"),
            log=lambda m: print(m, file=sys.stderr))
    # The hook queues a retraining job (summary and images); the job that trains,
    # compares and promotes runs outside the service once the images have labels
    # (`buildreal project demo final --run-job JOB --labels LABELS.npy`).
    return pipeline.serve_app(out, text)
