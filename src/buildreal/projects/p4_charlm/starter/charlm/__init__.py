"""Your Project 4 package. `buildreal project check p4-charlm` imports these names."""

from .model import CharLM
from .sample import sample
from .train import TrainConfig, train_tbptt

__all__ = ["CharLM", "TrainConfig", "sample", "train_tbptt"]
