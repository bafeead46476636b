"""Training with InfoNCE on paraphrase pairs, and encoding texts into unit vectors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .model import BagEncoder
from .tokenize import HashTokenizer


@dataclass(frozen=True)
class TrainConfig:
    buckets: int = 2**17
    dim: int = 512
    out_dim: int = 512
    epochs: int = 3
    batch_size: int = 256
    lr: float = 3e-3
    temperature: float = 0.05  # the starting value when learned
    learn_temperature: bool = True
    symmetric: bool = True
    seed: int = 0
    max_tokens: int = 256


def train_encoder(config: TrainConfig, queries: Sequence[str], docs: Sequence[str],
                  on_epoch: Callable[[int, dict[str, float]], None] | None = None,
                  ) -> tuple[BagEncoder, HashTokenizer, dict[str, list[float]]]:
    """Fit an encoder so that ``queries[i]`` lands next to ``docs[i]``; returns the model
    (in eval mode), its tokenizer and a history with the mean loss of each epoch under
    ``"loss"``. Everything random is seeded from ``config.seed``."""
    # TODO: build the model, shuffle pairs into batches, InfoNCE, optimizer steps
    # (the embedding tables are sparse: torch.optim.SparseAdam for them, Adam for the
    # rest).
    raise NotImplementedError("TODO: train_encoder")


def encode(model: BagEncoder, tokenizer: HashTokenizer, texts: Sequence[str],
           batch_size: int = 512) -> np.ndarray:
    """texts -> float32 (N, out_dim), unit rows (in batches, without gradients)."""
    raise NotImplementedError("TODO: encode")
