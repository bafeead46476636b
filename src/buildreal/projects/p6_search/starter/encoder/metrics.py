"""Ranking metrics for one relevant document per query."""

from __future__ import annotations

import numpy as np


def target_ranks(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """scores (Q, N), targets (Q,) -> (Q,) the 1-based rank of each query's target
    (the number of documents scoring at least as high as the target, the target itself
    included: a tie counts against the target)."""
    raise NotImplementedError("TODO: target_ranks")


def recall_at_k(scores: np.ndarray, targets: np.ndarray, k: int) -> float:
    """Share of queries whose target is among the top ``k`` documents."""
    raise NotImplementedError("TODO: recall_at_k")


def mean_reciprocal_rank(scores: np.ndarray, targets: np.ndarray) -> float:
    """Mean of 1 / rank of the target."""
    raise NotImplementedError("TODO: mean_reciprocal_rank")
