"""The service: /predict, /similar, /search, /healthz, /metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from fastapi import FastAPI


def build_service(model_path: str | Path, items: np.ndarray, reference_images: np.ndarray,
                  known_images: np.ndarray, *, encoder: Any = None, es_en: Any = None,
                  en_es: Any = None, monitor: bool = True,
                  on_retrain: Any = None) -> FastAPI:
    """The app for the model at ``model_path`` over the catalogue ``items`` (uint8
    (N, 28, 28)): an image index of their embeddings, tags and descriptions, a text index
    of the descriptions (``encoder.encode(texts)``; Spanish via ``es_en.translate`` and
    back via ``en_es.translate``), a drift monitor on ``reference_images``.

    POST /predict {"image": 28x28 or 784 ints} -> {"class", "confidence", "tags",
    "description"}; POST /similar {"image", "k"} -> {"results": [{"id", "score", ...}]};
    GET /search?q=&lang=en|es&k= -> {"results": [{"id", "score", "description", ...}]};
    GET /metrics. Bad input: a 4xx with {"detail": "what is wrong"}, never a 500."""
    raise NotImplementedError("build_service")
