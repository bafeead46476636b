"""The network. Start small: make it overfit 10 images before anything else."""

from __future__ import annotations

import torch
from torch import nn


def build_model(num_classes: int = 10, *, seed: int = 0, dims: int = 2,
                input_size: int = 28, width: int = 16) -> nn.Module:
    """A freshly initialised CNN; the same ``seed`` must give the same initial weights.

    Input (N, 1, 28, 28) normalised images (``dims=2``) or (N, 1, 40) signals
    (``dims=1``, for MNIST-1D). Output: raw logits (N, num_classes). Do not apply a
    softmax inside the model: ``F.cross_entropy`` expects logits.
    """
    # TODO: seed torch, then return an nn.Module: a few conv -> batch norm -> ReLU layers,
    # max-pooling between them, then a linear layer to num_classes.
    raise NotImplementedError("build_model: write the CNN")


@torch.no_grad()
def predict_proba(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Class probabilities (N, num_classes) computed in evaluation mode; rows sum to 1."""
    # TODO: switch the model to evaluation mode, then softmax over the class dimension.
    raise NotImplementedError("predict_proba")
