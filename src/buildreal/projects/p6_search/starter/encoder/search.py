"""Nearest-neighbour search with FAISS: exact and approximate (HNSW or IVF-PQ)."""

from __future__ import annotations

import faiss  # noqa: F401
import numpy as np


def build_index(vectors: np.ndarray, kind: str = "exact") -> object:
    """vectors (N, D) float32 unit rows -> a FAISS index holding them (ids 0 .. N-1).
    ``kind`` is "exact" or "hnsw"; both must rank by cosine similarity."""
    raise NotImplementedError("TODO: build_index")


def search(index: object, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """queries (Q, D) -> (scores (Q, k), ids (Q, k)), best first."""
    raise NotImplementedError("TODO: search")


def recall_vs_exact(approx_ids: np.ndarray, exact_ids: np.ndarray) -> float:
    """Share of the exact top-k that the approximate top-k also found (both (Q, k))."""
    raise NotImplementedError("TODO: recall_vs_exact")
