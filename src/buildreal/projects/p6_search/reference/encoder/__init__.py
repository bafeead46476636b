"""Reference solution of Project 6: a contrastive sentence encoder and its search.

The Definition-of-Done checks import this package the same way they import a learner's
``encoder/`` folder, so the reference is judged by the same rules it sets.
"""

from .loss import info_nce
from .metrics import mean_reciprocal_rank, recall_at_k, target_ranks
from .model import BagEncoder, build_model
from .search import build_index, recall_vs_exact, search
from .tokenize import PAD, HashTokenizer
from .train import TrainConfig, encode, train_encoder

__all__ = [
    "PAD",
    "BagEncoder",
    "HashTokenizer",
    "TrainConfig",
    "build_index",
    "build_model",
    "encode",
    "info_nce",
    "mean_reciprocal_rank",
    "recall_at_k",
    "recall_vs_exact",
    "search",
    "target_ranks",
    "train_encoder",
]
