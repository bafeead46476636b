"""Your Project 10 package: export, serve and monitor the Fashion-MNIST CNN.

`buildreal project check p10-inference .` imports these names from here.
"""

from .bench import latency_summary, measure
from .drift import DriftConfig, DriftMonitor, image_features, ks_2samp, psi
from .export import OnnxPredictor, export_onnx
from .model import CLASSES, build_model, train_model
from .preprocess import PREPROCESS_VERSION, fingerprint, preprocess
from .retrain import RetrainHook
from .service import create_app

__all__ = [
    "CLASSES", "PREPROCESS_VERSION", "DriftConfig", "DriftMonitor", "OnnxPredictor",
    "RetrainHook", "build_model", "create_app", "export_onnx", "fingerprint",
    "image_features", "ks_2samp", "latency_summary", "measure", "preprocess", "psi",
    "train_model",
]
