"""Reference solution of Project 4, laid out exactly like the learner's starter package."""

from .model import CharLM, detach_state
from .sample import sample
from .train import TrainConfig, evaluate_nats, lr_at, train_tbptt

__all__ = ["CharLM", "TrainConfig", "detach_state", "evaluate_nats", "lr_at", "sample",
           "train_tbptt"]
