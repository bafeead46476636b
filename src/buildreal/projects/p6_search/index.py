"""``VectorIndex``: unit vectors in, nearest neighbours out, exact or approximate.

The final project imports this class to serve semantic search; the demo and the
benchmark use it too. It wraps FAISS with the inner product (vectors are unit rows, so
the score is the cosine similarity) and keeps ids 0 .. N-1 in the order vectors were
added. ``kind="exact"`` compares a query with every vector (``IndexFlatIP``);
``kind="hnsw"`` walks a navigable small-world graph (``IndexHNSWFlat``, Malkov and
Yashunin 2018), which answers in a fraction of the time and may miss a few neighbours:
``benchmarks/search.py`` measures how many.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

KINDS = ("exact", "hnsw")
HNSW_M = 32  # graph links per vector
EF_CONSTRUCTION = 200  # candidates kept while linking a new vector
EF_SEARCH = 128  # candidates kept while answering: the recall/latency knob


class VectorIndex:
    """Nearest-neighbour search over unit vectors of width ``dim``."""

    def __init__(self, dim: int, kind: str = "exact", *, ef_search: int = EF_SEARCH) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown index kind {kind!r}; use one of {', '.join(KINDS)}")
        if dim < 1:
            raise ValueError(f"dim must be positive, got {dim}")
        self.dim, self.kind = dim, kind
        if kind == "exact":
            self._index = faiss.IndexFlatIP(dim)
        else:
            self._index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            self._index.hnsw.efConstruction = EF_CONSTRUCTION
            self._index.hnsw.efSearch = ef_search

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def ef_search(self) -> int | None:
        return int(self._index.hnsw.efSearch) if self.kind == "hnsw" else None

    @ef_search.setter
    def ef_search(self, value: int) -> None:
        if self.kind != "hnsw":
            raise ValueError("ef_search applies to kind='hnsw' only")
        self._index.hnsw.efSearch = int(value)

    def _matrix(self, vectors: np.ndarray, what: str) -> np.ndarray:
        array = np.asarray(vectors, dtype=np.float32)
        if array.ndim == 1:
            array = array[None, :]
        if array.ndim != 2 or array.shape[1] != self.dim:
            raise ValueError(f"{what} must have shape (n, {self.dim}), got {array.shape}")
        if not np.isfinite(array).all():
            raise ValueError(f"{what} contain NaN or infinite values")
        return np.ascontiguousarray(array)

    def add(self, vectors: np.ndarray) -> None:
        """Append vectors (N, dim); they get the next ids in order."""
        self._index.add(self._matrix(vectors, "vectors"))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """queries (Q, dim) -> (scores float32 (Q, k), ids int64 (Q, k)), best first.

        With fewer than k vectors stored, the missing places hold id -1 and score -inf.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        scores, ids = self._index.search(self._matrix(queries, "queries"), k)
        scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
        return scores, ids.astype(np.int64)

    def save(self, path: Path | str) -> None:
        """Write the index to one file (FAISS's own format, written then renamed)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        faiss.write_index(self._index, str(partial))
        partial.replace(target)

    @classmethod
    def load(cls, path: Path | str) -> VectorIndex:
        """Read an index written by :meth:`save`; its kind and width come from the file."""
        raw = faiss.read_index(str(path))
        kind = "hnsw" if isinstance(raw, faiss.IndexHNSW) else "exact"
        if kind == "exact" and not isinstance(raw, faiss.IndexFlat):
            raise ValueError(f"{path} holds a {type(raw).__name__}, not an exact or HNSW index")
        index = cls.__new__(cls)
        index.dim, index.kind, index._index = int(raw.d), kind, raw
        return index
