"""Export to ONNX with the preprocessing recorded in the file, and the ONNX Runtime
predictor the service uses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from torch import nn

TOLERANCE = 1e-4  # largest |ONNX Runtime - PyTorch| logit difference you accept


def export_onnx(model: nn.Module, path: str | Path, known_images: np.ndarray) -> dict[str, str]:
    """Write ``model`` to ``path``: input "input" (N, 1, 28, 28) with a dynamic batch
    dimension, output "logits" (N, 10). Record ``preprocess_version`` and
    ``preprocess_sha256`` (fingerprint of preprocess(known_images)) in the file's
    metadata; return them."""
    # TODO: which mode must the model be in? torch.onnx.export(..., dynamo=False), then
    # onnx.load, onnx.helper.set_model_props, onnx.save.
    raise NotImplementedError("export_onnx")


class OnnxPredictor:
    """An ONNX Runtime session for one exported model."""

    def __init__(self, path: str | Path, threads: int = 1) -> None:
        # TODO: onnxruntime.InferenceSession with CPUExecutionProvider; keep the metadata
        # (session.get_modelmeta().custom_metadata_map) in self.metadata.
        raise NotImplementedError("OnnxPredictor")

    def check_preprocessing(self, known_images: np.ndarray) -> None:
        """Raise when this code's preprocessing is not the one the model was exported with."""
        raise NotImplementedError("check_preprocessing")

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Preprocessed float32 (N, 1, 28, 28) -> logits (N, 10)."""
        raise NotImplementedError("logits")

    def predict(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw uint8 images -> (class index (N,), probability of that class (N,))."""
        # TODO: the same preprocess() as training; confidence is a softmax probability.
        raise NotImplementedError("predict")
