"""Truncated backpropagation through time with teacher forcing and gradient clipping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class TrainConfig:
    seq_len: int = 128
    """Characters per truncated-BPTT window."""
    batch_size: int = 32
    """Parallel streams through the text."""
    steps: int = 2000
    lr: float = 1e-2
    clip: float | None = 1.0
    """Largest total gradient norm; None trains without clipping."""
    seed: int = 0
    max_seconds: float | None = None


def train_tbptt(model: nn.Module, data: torch.Tensor, config: TrainConfig | None = None,
                on_step: Callable[[int, dict[str, float]], None] | None = None,
                ) -> dict[str, list[float]]:
    """Train ``model`` in place on ``data`` ((N,) int64 character ids).

    Returns {"loss": [...], "grad_norm": [...]}: one entry per step, the norm measured
    before clipping (``clip_grad_norm_`` returns it).
    """
    # TODO 1: seed torch (and any generator you use) from config.seed.
    # TODO 2: cut data into batch_size parallel streams: shape (batch_size, N // batch_size).
    # TODO 3: each step, inputs = the next seq_len characters of every stream, targets =
    #         the same window shifted by one (teacher forcing).
    # TODO 4: carry the hidden state from one window to the next, detached in between.
    # TODO 5: backward, clip the gradient norm to config.clip, then optimizer step.
    raise NotImplementedError("train_tbptt")
