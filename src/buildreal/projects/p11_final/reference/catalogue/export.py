"""ONNX export of the backbone (two outputs: logits and embedding) and the ONNX Runtime
predictor the service and the similarity index use.

Project 10's rules carry over: export in evaluation mode (batch norm on running
statistics, dropout off), keep the batch axis dynamic, and store the preprocessing
version and fingerprint in the file so that a service with other preprocessing refuses
the model.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

from buildreal.projects.p10_inference.reference.serving.export import softmax
from buildreal.projects.p10_inference.reference.serving.preprocess import (
    PREPROCESS_VERSION,
    fingerprint,
    preprocess,
)

TOLERANCE = 1e-4  # largest |ONNX Runtime - PyTorch| gap accepted, logits and embeddings


def export_onnx(model: nn.Module, path: str | Path, known_images: np.ndarray) -> dict[str, str]:
    """Write ``model`` to ``path`` (outputs ``logits`` (N, 10) and ``embedding`` (N, D));
    returns the metadata stored in the file."""
    model.eval()  # batch norm must use running statistics, dropout must be off
    sample = torch.from_numpy(preprocess(known_images[:1]))  # (1, 1, 28, 28)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's tracing notes
        torch.onnx.export(model, (sample,), str(path), input_names=["input"],
                          output_names=["logits", "embedding"], opset_version=17,
                          dynamo=False, dynamic_axes={"input": {0: "batch"},
                                                      "logits": {0: "batch"},
                                                      "embedding": {0: "batch"}})
    meta = {"preprocess_version": PREPROCESS_VERSION,
            "preprocess_sha256": fingerprint(preprocess(known_images))}
    graph = onnx.load(str(path))
    onnx.helper.set_model_props(graph, meta)
    onnx.save(graph, str(path))
    return meta


def parity(model: nn.Module, path: str | Path, known_images: np.ndarray) -> dict[str, float]:
    """Largest |ONNX Runtime - PyTorch| gap on the known images, for both outputs, and
    how many of them get the same class."""
    model.eval()
    x = preprocess(known_images)  # (N, 1, 28, 28)
    with torch.no_grad():
        logits, emb = (t.numpy() for t in model(torch.from_numpy(x)))
    got_logits, got_emb = OnnxBackbone(path).run(x)
    return {"logits_max_abs_diff": float(np.abs(got_logits - logits).max()),
            "embedding_max_abs_diff": float(np.abs(got_emb - emb).max()),
            "same_class": int((got_logits.argmax(1) == logits.argmax(1)).sum()),
            "known": len(x), "tolerance": TOLERANCE}


class OnnxBackbone:
    """An ONNX Runtime session of the exported backbone."""

    def __init__(self, path: str | Path, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options,
                                            providers=["CPUExecutionProvider"])
        self.metadata = dict(self.session.get_modelmeta().custom_metadata_map)

    def check_preprocessing(self, known_images: np.ndarray) -> None:
        """Refuse to serve when this code's preprocessing is not the model's."""
        if self.metadata.get("preprocess_version") != PREPROCESS_VERSION or \
                fingerprint(preprocess(known_images)) != self.metadata.get("preprocess_sha256"):
            raise RuntimeError("the model was exported with other preprocessing than this "
                               f"code's {PREPROCESS_VERSION}: export it again")

    def run(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Preprocessed (N, 1, 28, 28) float32 -> logits (N, 10), embeddings (N, D)."""
        logits, emb = self.session.run(["logits", "embedding"], {"input": x})
        return logits, emb

    def predict(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raw uint8 images -> class (N,), its probability (N,), embedding (N, D)."""
        logits, emb = self.run(preprocess(images))
        probs = softmax(logits)  # (N, 10)
        labels = probs.argmax(axis=1)
        return labels, probs[np.arange(len(probs)), labels], emb
