"""The one place the final project reaches into Projects 5 and 6.

Project 5 gives ``load_translator(direction, models_dir, train_if_missing, preset)``
(``.translate(texts, beam)``); Project 6 gives ``load_text_encoder(...)``
(``.encode(texts)`` -> L2-normalised float32 rows) and ``VectorIndex(dim, kind)``
(``.add``, ``.search``, ``.save``, ``.load``). Everything else in this project talks to
these three names only, so a learner who swaps in their own P5/P6 code changes this
file and nothing else.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class Translator(Protocol):
    def translate(self, texts: list[str], beam: int = 1) -> list[str]: ...


class TextEncoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


class MissingProject(RuntimeError):
    """A project this one builds on is not installed or failed to import."""


def _attr(module: str, name: str, project: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise MissingProject(
            f"{project} is needed for text search ({module}.{name}: {exc}). Check it with "
            f"`buildreal project demo {project}` first.") from exc


def load_translator(direction: str, models_dir: Path | None = None, *,
                    preset: str = "small") -> Translator:
    """Project 5's translator for ``direction`` ("es-en" or "en-es"), trained if missing."""
    load = _attr("buildreal.projects.p5_translator.api", "load_translator", "p5-translator")
    return load(direction, models_dir=models_dir, train_if_missing=True, preset=preset)


def load_text_encoder(models_dir: Path | None = None, *, preset: str = "small") -> TextEncoder:
    """Project 6's sentence encoder, trained if missing."""
    load = _attr("buildreal.projects.p6_search.api", "load_text_encoder", "p6-search")
    return load(models_dir=models_dir, train_if_missing=True, preset=preset)


class _FlatIndex:
    """Exact inner-product search with FAISS, the interface of Project 6's VectorIndex;
    used only while Project 6 is not installed."""

    def __init__(self, dim: int) -> None:
        import faiss

        self.dim = dim
        self.index = faiss.IndexFlatIP(dim)

    def add(self, vectors: np.ndarray) -> None:
        self.index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def __len__(self) -> int:
        return int(self.index.ntotal)


def vector_index(dim: int) -> Any:
    """An exact cosine-similarity index over L2-normalised rows: Project 6's
    ``VectorIndex`` when it is installed, else the same search done with FAISS here."""
    try:
        cls = importlib.import_module("buildreal.projects.p6_search.index").VectorIndex
    except (ImportError, AttributeError):
        return _FlatIndex(dim)
    return cls(dim, kind="exact")
