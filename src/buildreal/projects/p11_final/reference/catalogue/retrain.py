"""The retraining hook: train a candidate on the recent window plus the reference data,
compare it with the serving model on a fixed holdout, promote it only if it is better,
and log the decision either way.

Why a fixed holdout: if each candidate were scored on data of its own choosing (its
training window, a fresh sample), a lucky draw could promote a worse model. The holdout
is chosen once, mixes reference-like and recent-like images, and never enters training.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from torch import nn

from .backbone import TrainConfig, accuracy, train_model

MIN_GAIN = 0.005  # the candidate must beat the serving model by 0.5 accuracy points


@dataclass(frozen=True)
class Decision:
    promote: bool
    serving_accuracy: float
    candidate_accuracy: float
    min_gain: float
    holdout_size: int
    train_size: int
    reason: str
    decided_at: float


def retrain(serving: nn.Module, recent_x: np.ndarray, recent_y: np.ndarray,
            reference_x: np.ndarray, reference_y: np.ndarray, holdout_x: np.ndarray,
            holdout_y: np.ndarray, *, log_path: str | Path, config: TrainConfig | None = None,
            min_gain: float = MIN_GAIN) -> tuple[Decision, nn.Module]:
    """Train a candidate, judge it against ``serving`` on the holdout, append the
    decision as one JSON line to ``log_path``; returns the decision and the candidate."""
    x = np.concatenate([recent_x, reference_x])  # (R + M, 28, 28)
    y = np.concatenate([recent_y, reference_y])
    candidate = train_model(x, y, config or TrainConfig())
    old = accuracy(serving, holdout_x, holdout_y)
    new = accuracy(candidate, holdout_x, holdout_y)
    promote = new >= old + min_gain
    reason = (f"candidate {new:.4f} vs serving {old:.4f} on {len(holdout_y)} holdout images: "
              + ("promoted" if promote else f"kept the serving model (needs +{min_gain})"))
    decision = Decision(promote, old, new, min_gain, len(holdout_y), len(y), reason,
                        time.time())
    path = Path(log_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(decision)) + "\n")
    return decision, candidate


def read_decisions(log_path: str | Path) -> list[dict[str, Any]]:
    """Every logged decision, oldest first."""
    path = Path(log_path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
