"""Your Project 6 package: a contrastive sentence encoder and its search.

`buildreal project check p6-search .` imports these names from here; keep them exported.
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
