"""Export to ONNX with the preprocessing version and fingerprint in the file's metadata,
and the ONNX Runtime predictor the service uses."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

from .preprocess import PREPROCESS_VERSION, fingerprint, preprocess

TOLERANCE = 1e-4  # largest |ONNX Runtime - PyTorch| logit difference we accept


def export_onnx(model: nn.Module, path: str | Path, known_images: np.ndarray) -> dict[str, str]:
    """Write ``model`` to ``path`` in evaluation mode, batch dimension dynamic.

    The metadata records the preprocessing version and the fingerprint of the
    preprocessed known samples, so the service can refuse a model trained with other
    preprocessing. Returns that metadata.
    """
    model.eval()  # batch norm must use running statistics, dropout must be off
    sample = torch.from_numpy(preprocess(known_images[:1]))  # (1, 1, 28, 28)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's tracing notes
        torch.onnx.export(model, (sample,), str(path), input_names=["input"],
                          output_names=["logits"], opset_version=17, dynamo=False,
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    meta = {"preprocess_version": PREPROCESS_VERSION,
            "preprocess_sha256": fingerprint(preprocess(known_images))}
    graph = onnx.load(str(path))
    onnx.helper.set_model_props(graph, meta)
    onnx.save(graph, str(path))
    return meta


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax (N, K) -> (N, K), shifted by the row maximum for stability."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class OnnxPredictor:
    """An ONNX Runtime session plus the preprocessing it was exported with."""

    def __init__(self, path: str | Path, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options,
                                            providers=["CPUExecutionProvider"])
        self.metadata = dict(self.session.get_modelmeta().custom_metadata_map)

    def check_preprocessing(self, known_images: np.ndarray) -> None:
        """Refuse to serve when this code's preprocessing is not the model's."""
        want = self.metadata.get("preprocess_version")
        if want != PREPROCESS_VERSION:
            raise RuntimeError(f"model expects preprocessing {want}, code has "
                               f"{PREPROCESS_VERSION}")
        if fingerprint(preprocess(known_images)) != self.metadata.get("preprocess_sha256"):
            raise RuntimeError("preprocessing output differs from the one at export")

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Preprocessed (N, 1, 28, 28) float32 -> logits (N, 10)."""
        return self.session.run(None, {"input": x})[0]

    def predict(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw uint8 images -> (class index (N,), probability of that class (N,))."""
        probs = softmax(self.logits(preprocess(images)))  # (N, 10)
        labels = probs.argmax(axis=1)
        return labels, probs[np.arange(len(probs)), labels]
