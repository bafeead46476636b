"""Your Project 3 package. `buildreal project check p3-cnn` imports these five names."""

from .augment import augment
from .model import build_model, predict_proba
from .train import TrainConfig, TrainResult, train_model

__all__ = ["TrainConfig", "TrainResult", "augment", "build_model", "predict_proba", "train_model"]
