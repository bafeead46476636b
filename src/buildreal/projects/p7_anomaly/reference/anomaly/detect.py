"""Scoring, thresholding and the false positives worth reading."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


@torch.no_grad()
def reconstruction_error(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """One score per row: the mean squared reconstruction error, (N, F) -> (N,).

    Evaluation mode, so dropout is off and the same row always gets the same score.
    """
    model.eval()
    return ((model(x) - x) ** 2).mean(dim=1)


@torch.no_grad()
def feature_errors(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Squared error per feature (N, F): which features drove each row's score."""
    model.eval()
    return (model(x) - x) ** 2


def choose_threshold(val_scores: np.ndarray, val_labels: np.ndarray,
                     target_fpr: float = 0.01) -> float:
    """The score above which at most ``target_fpr`` of the validation normals fall.

    Only validation rows decide: the test split stays an honest estimate.
    """
    normal = np.sort(np.asarray(val_scores, dtype=np.float64)[np.asarray(val_labels) == 0])
    return float(np.quantile(normal, 1.0 - target_fpr))


def flag_anomalies(scores: np.ndarray, threshold: float) -> np.ndarray:
    """True where a row is flagged: a high reconstruction error means anomalous."""
    return np.asarray(scores) > threshold


def top_false_positives(scores: np.ndarray, labels: np.ndarray, threshold: float,
                        k: int = 10) -> list[int]:
    """Indices of the ``k`` highest-scoring normal rows flagged as anomalies."""
    scores, labels = np.asarray(scores), np.asarray(labels)
    wrong = np.nonzero(flag_anomalies(scores, threshold) & (labels == 0))[0]
    return [int(i) for i in wrong[np.argsort(-scores[wrong], kind="stable")][:k]]
