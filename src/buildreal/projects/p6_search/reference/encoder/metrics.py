"""Ranking metrics for one relevant document per query."""

from __future__ import annotations

import numpy as np


def target_ranks(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """scores (Q, N), targets (Q,) -> (Q,) the 1-based rank of each query's target.

    Ties count against the target: the rank is the number of documents scoring at least
    as high as the target, the target included. A model that scores everything equally
    so ranks every target last, and gets no credit for the luck of the sort order.
    """
    target_scores = scores[np.arange(len(scores)), targets][:, None]  # (Q, 1)
    return (scores >= target_scores).sum(axis=1)  # (Q,)


def recall_at_k(scores: np.ndarray, targets: np.ndarray, k: int) -> float:
    """Share of queries whose target is among the top ``k`` documents."""
    return float(np.mean(target_ranks(scores, targets) <= k))


def mean_reciprocal_rank(scores: np.ndarray, targets: np.ndarray) -> float:
    """Mean of 1 / rank of the target: 1.0 when every target comes first."""
    return float(np.mean(1.0 / target_ranks(scores, targets)))
