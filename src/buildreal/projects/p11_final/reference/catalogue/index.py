"""The catalogue: every item's image embedding in a similarity index, its tags and
description, and the description embeddings that text search looks up.

Images are indexed by the backbone's embedding (what an item looks like); text is
indexed by Project 6's encoder over the generated descriptions (what the shop calls it).
Queries in Spanish go through Project 5's translator to English, and the answers' descriptions
back to Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from buildreal.projects.p11_final import adapters

from .describe import TagRules, describe, tags

LANGUAGES = ("en", "es")


@dataclass
class TextSide:
    """Project 6's encoder and Project 5's two translators (``None``: no text search)."""

    encoder: Any
    es_en: Any
    en_es: Any
    _spanish: dict[str, str] = field(default_factory=dict)

    def to_spanish(self, texts: list[str]) -> list[str]:
        """Translate descriptions once each: there are only a few hundred distinct ones."""
        todo = sorted({t for t in texts if t not in self._spanish})
        if todo:
            self._spanish.update(zip(todo, self.en_es.translate(todo), strict=True))
        return [self._spanish[t] for t in texts]


class Catalogue:
    """Items (raw images and predicted classes) with both indexes built."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, embeddings: np.ndarray,
                 rules: TagRules, text: TextSide | None = None) -> None:
        self.images = np.asarray(images, dtype=np.uint8)  # (N, 28, 28)
        self.labels = np.asarray(labels, dtype=np.int64)  # (N,) predicted classes
        self.tags = tags(self.images, self.labels, rules)
        self.descriptions = [describe(t) for t in self.tags]
        emb = np.ascontiguousarray(embeddings, dtype=np.float32)  # (N, D), unit rows
        self.image_index = adapters.vector_index(emb.shape[1])
        self.image_index.add(emb)
        self.text = text
        self.text_index = None
        if text is not None:
            vectors = np.asarray(text.encoder.encode(self.descriptions), dtype=np.float32)
            self.text_index = adapters.vector_index(vectors.shape[1])
            self.text_index.add(vectors)

    def __len__(self) -> int:
        return len(self.images)

    def item(self, i: int, score: float) -> dict[str, Any]:
        return {"id": int(i), "score": round(float(score), 4), "tags": self.tags[i],
                "description": self.descriptions[i]}

    def similar(self, embedding: np.ndarray, k: int) -> list[dict[str, Any]]:
        """The k items whose image embeddings are closest (cosine) to ``embedding``."""
        scores, ids = self.image_index.search(embedding.reshape(1, -1).astype(np.float32), k)
        return [self.item(i, s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]

    def search(self, query: str, lang: str, k: int) -> dict[str, Any]:
        """Text search: a Spanish query is translated to English, matched against the
        English descriptions, and the answers' descriptions translated back."""
        if self.text is None or self.text_index is None:
            raise RuntimeError("text search is off: the catalogue was built without "
                               "Projects 5 and 6")
        english = self.text.es_en.translate([query])[0] if lang == "es" else query
        q = np.asarray(self.text.encoder.encode([english]), dtype=np.float32)  # (1, D)
        scores, ids = self.text_index.search(q, k)
        hits = [self.item(i, s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]
        if lang == "es":
            for hit, es in zip(hits, self.text.to_spanish([h["description"] for h in hits]),
                               strict=True):
                hit["description_en"], hit["description"] = hit["description"], es
        return {"query": query, "lang": lang, "english_query": english, "results": hits}
