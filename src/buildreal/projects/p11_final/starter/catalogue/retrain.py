"""The retraining hook's job: candidate, comparison on the fixed holdout, decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from torch import nn

from .backbone import TrainConfig

MIN_GAIN = 0.005  # state it in RETRAINING.md


def retrain(serving: nn.Module, recent_x: np.ndarray, recent_y: np.ndarray,
            reference_x: np.ndarray, reference_y: np.ndarray, holdout_x: np.ndarray,
            holdout_y: np.ndarray, *, log_path: str | Path, config: TrainConfig | None = None,
            min_gain: float = MIN_GAIN) -> tuple[Any, nn.Module]:
    """Train a candidate on recent + reference data, score both models on the holdout,
    promote only a better candidate, append the decision (with "promote" and both
    accuracies) as a JSON line to ``log_path``; return (decision, candidate)."""
    raise NotImplementedError("retrain")
