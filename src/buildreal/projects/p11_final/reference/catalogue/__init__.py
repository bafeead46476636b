"""Reference solution of the final project: a bilingual catalogue service.

The checks import this package the way they import a learner's ``catalogue/`` folder.
"""

from .backbone import CLASSES, Backbone, TrainConfig, accuracy, build_model, embed, train_model
from .describe import TagRules, describe, tags
from .drift import CONFIG, DriftMonitor
from .export import OnnxBackbone, export_onnx, parity
from .index import Catalogue, TextSide
from .retrain import MIN_GAIN, Decision, read_decisions, retrain
from .service import build_service, create_app, image_from
from .tracking import data_version, file_sha256, log_run, read_runs, train_tracked

__all__ = [
    "CLASSES", "CONFIG", "MIN_GAIN", "Backbone", "Catalogue", "Decision", "DriftMonitor",
    "OnnxBackbone", "TagRules", "TextSide", "TrainConfig", "accuracy", "build_model",
    "build_service", "create_app", "data_version", "describe", "embed", "export_onnx",
    "file_sha256", "image_from", "log_run", "parity", "read_decisions", "read_runs",
    "retrain", "tags", "train_model", "train_tracked",
]
