"""Tracking in MLflow's local file store (set MLFLOW_ALLOW_FILE_STORE=true: MLflow 3 asks
for it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from torch import nn

from .backbone import TrainConfig


def data_version(*arrays: np.ndarray) -> str:
    """A short hash of the arrays' shapes, dtypes and bytes."""
    raise NotImplementedError("data_version")


def log_run(store: str | Path, *, params: dict[str, object], metrics: dict[str, float],
            artefacts: dict[str, str | Path], run_name: str = "train") -> str:
    """Record params, metrics and tags sha256.<name> (the files' SHA-256) in the store at
    ``store``; return the run id."""
    raise NotImplementedError("log_run")


def train_tracked(images: np.ndarray, labels: np.ndarray, config: TrainConfig,
                  out: str | Path, store: str | Path,
                  known_images: np.ndarray) -> tuple[str, nn.Module]:
    """Train, save model.pt and model.onnx into ``out``, log the run (params seed and
    data_version, metrics, artefact hashes); return (run id, model)."""
    raise NotImplementedError("train_tracked")
