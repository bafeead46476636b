"""Nearest-neighbour search with FAISS: exact (flat) and approximate (HNSW).

Vectors are unit length, so the inner product is the cosine similarity; both indexes
use it (METRIC_INNER_PRODUCT) and return the highest scores first.
"""

from __future__ import annotations

import faiss
import numpy as np

HNSW_M = 32  # links per node: more means better recall, more memory
EF_CONSTRUCTION, EF_SEARCH = 200, 128  # candidate lists at build and at query time


def build_index(vectors: np.ndarray, kind: str = "exact") -> faiss.Index:
    """vectors (N, D) float32 unit rows -> a FAISS index holding them (ids 0 .. N-1)."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if kind == "exact":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
        index.hnsw.efSearch = EF_SEARCH
    else:
        raise ValueError(f"unknown index kind {kind!r}: use 'exact' or 'hnsw'")
    index.add(vectors)
    return index


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """queries (Q, D) -> (scores (Q, k), ids (Q, k)), best first."""
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


def recall_vs_exact(approx_ids: np.ndarray, exact_ids: np.ndarray) -> float:
    """Share of the exact top-k that the approximate top-k also found (both (Q, k))."""
    k = exact_ids.shape[1]
    found = [len(set(a) & set(e)) for a, e in zip(approx_ids.tolist(), exact_ids.tolist(),
                                                  strict=True)]
    return float(np.sum(found) / (len(found) * k))
