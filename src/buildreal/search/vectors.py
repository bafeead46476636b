"""Passage vectors kept on disk, keyed by each passage's content hash.

Encoding every paragraph of both courses takes minutes on a small CPU, so vectors are
stored once (``<data>/search/vectors-<model>.npz``) and a new process encodes only the
passages whose text changed. Pure Python; the encoder is passed in.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Encode = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, dim) unit rows
BATCH = 32


class VectorStore:
    def __init__(self, path: Path, dim: int) -> None:
        self.path = path
        self.dim = dim
        self._vectors: dict[str, np.ndarray] = {}
        self._load()

    def _load(self) -> None:
        try:
            with np.load(self.path) as data:
                keys, matrix = data["keys"], data["vectors"]  # (n,), (n, dim)
        except (OSError, ValueError, KeyError):
            return  # missing or damaged: recomputed
        if matrix.ndim == 2 and matrix.shape[1] == self.dim and len(keys) == len(matrix):
            self._vectors = {str(k): v for k, v in zip(keys, matrix, strict=True)}

    def get(self, key: str) -> np.ndarray | None:
        return self._vectors.get(key)

    def missing(self, keys: Sequence[str]) -> list[str]:
        return [key for key in dict.fromkeys(keys) if key not in self._vectors]

    def fill(self, items: Sequence[tuple[str, str]], encode: Encode) -> int:
        """Encode the (key, text) pairs not stored yet, shortest first (batches of similar
        length pad less), saving after each batch so an interrupted build keeps its work.
        Returns how many were encoded."""
        todo = sorted({key: text for key, text in items if key not in self._vectors}.items(),
                      key=lambda pair: len(pair[1]))
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            vectors = encode([text for _, text in batch])  # (len(batch), dim)
            for (key, _), vector in zip(batch, vectors, strict=True):
                self._vectors[key] = vector.astype(np.float32)
            self.save()
        return len(todo)

    def save(self) -> None:
        keys = np.array(list(self._vectors), dtype=str)
        matrix = (np.stack(list(self._vectors.values())) if self._vectors
                  else np.zeros((0, self.dim), dtype=np.float32))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.stem}.{os.getpid()}.partial.npz")
            np.savez(partial, keys=keys, vectors=matrix)
            os.replace(partial, self.path)
        except OSError as exc:  # a read-only data folder still searches, re-encoding at start
            log.warning("could not store search vectors in %s (%s)", self.path, exc)
