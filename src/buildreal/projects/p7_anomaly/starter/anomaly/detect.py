"""Scoring, thresholding and the false positives worth reading."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


@torch.no_grad()
def reconstruction_error(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """One score per row: the mean squared reconstruction error, (N, F) -> (N,)."""
    # TODO: evaluation mode first (dropout off), then average the squared error over
    # the features, not over the batch.
    raise NotImplementedError("reconstruction_error")


@torch.no_grad()
def feature_errors(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Squared error per feature (N, F): which features drove each row's score."""
    # TODO: like reconstruction_error, without the average.
    raise NotImplementedError("feature_errors")


def choose_threshold(val_scores: np.ndarray, val_labels: np.ndarray,
                     target_fpr: float = 0.01) -> float:
    """The cut-off for your stated target, decided on validation rows only."""
    # TODO: e.g. the (1 - target_fpr) quantile of the validation normals' scores, or the
    # score that maximises F1 on validation. Say which in your report, and why.
    raise NotImplementedError("choose_threshold")


def flag_anomalies(scores: np.ndarray, threshold: float) -> np.ndarray:
    """Boolean (N,): True where a row is flagged as anomalous."""
    # TODO: which side of the threshold is anomalous?
    raise NotImplementedError("flag_anomalies")


def top_false_positives(scores: np.ndarray, labels: np.ndarray, threshold: float,
                        k: int = 10) -> list[int]:
    """Indices of the ``k`` highest-scoring normal rows (label 0) that were flagged."""
    # TODO: flagged and normal, sorted by score, highest first.
    raise NotImplementedError("top_false_positives")
