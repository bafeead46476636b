"""Reference solution of Project 3, laid out exactly like the learner's starter package.

The Definition-of-Done checks import this package the same way they import a learner's
``cnn/`` folder, so the reference is judged by the same rules it sets.
"""

from .augment import augment
from .model import SmallCNN, build_model, predict_proba
from .train import TrainConfig, TrainResult, train_model

__all__ = [
    "SmallCNN",
    "TrainConfig",
    "TrainResult",
    "augment",
    "build_model",
    "predict_proba",
    "train_model",
]
