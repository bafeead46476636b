"""ONNX export with two outputs, and the ONNX Runtime predictor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from torch import nn


def export_onnx(model: nn.Module, path: str | Path, known_images: np.ndarray) -> dict[str, str]:
    """Write the model (outputs "logits" and "embedding", batch axis dynamic) with the
    preprocessing version and fingerprint in its metadata; return that metadata."""
    raise NotImplementedError("export_onnx")


class OnnxBackbone:
    """An ONNX Runtime session of the exported backbone."""

    def __init__(self, path: str | Path, threads: int = 1) -> None:
        raise NotImplementedError("OnnxBackbone")

    def predict(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raw uint8 images -> class (N,), its probability (N,), embedding (N, D)."""
        raise NotImplementedError("OnnxBackbone.predict")
