"""Reference solution of Project 4, laid out exactly like the learner's starter package."""

from .model import CharLM, detach_state
from .sample import sample
from .train import TrainConfig, evaluate_nats, train_tbptt

__all__ = ["CharLM", "TrainConfig", "detach_state", "evaluate_nats", "sample", "train_tbptt"]
