"""The training loop: optimiser, learning-rate schedule, early stopping, seeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class TrainConfig:
    epochs: int = 10
    """Upper bound; early stopping may end sooner."""
    batch_size: int = 128
    lr: float = 3e-3
    weight_decay: float = 5e-4
    patience: int = 3
    """Stop after this many epochs without a better validation accuracy."""
    augment: bool = True
    max_shift: int = 2
    flip: bool = False
    seed: int = 0
    width: int = 16


@dataclass
class TrainResult:
    model: nn.Module
    history: dict[str, list[float]] = field(default_factory=dict)
    """Per epoch: train_loss, train_acc, val_loss, val_acc."""
    best_epoch: int = 0
    stopped_early: bool = False


def train_model(
    x_train: torch.Tensor, y_train: torch.Tensor, x_val: torch.Tensor, y_val: torch.Tensor,
    config: TrainConfig | None = None,
    on_epoch: Callable[[int, dict[str, float]], None] | None = None,
    on_step: Callable[[int], None] | None = None,
) -> TrainResult:
    """Train a fresh model and return the weights of its best validation epoch.

    Two calls with the same ``config.seed`` must return identical weights and history.
    """
    # TODO 1: build the model with config.seed; make a torch.Generator seeded the same way
    #         for shuffling and augmentation (and seed torch for dropout).
    # TODO 2: each epoch: shuffle, augment each batch (train=True), cross-entropy on the
    #         logits, backward, optimiser step, scheduler step.
    # TODO 3: after each epoch: accuracy on training and validation data (no
    #         augmentation), append to the history, call on_epoch(epoch, row).
    # TODO 4: keep the best state_dict; stop after config.patience epochs without progress.
    raise NotImplementedError("train_model")
