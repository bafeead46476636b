"""Generating new images and walking between two of them in latent space."""

from __future__ import annotations

import torch

from .model import ConvVAE


def sample(model: ConvVAE, n: int, *, generator: torch.Generator) -> torch.Tensor:
    """n new images (n, 1, 28, 28), drawn with ``generator``."""
    raise NotImplementedError("TODO: decode draws from the prior")


def interpolate(model: ConvVAE, x_a: torch.Tensor, x_b: torch.Tensor, steps: int = 8
                ) -> torch.Tensor:
    """``steps`` images (steps, 1, 28, 28) morphing from x_a into x_b (each (1, 1, 28, 28))."""
    raise NotImplementedError("TODO: interpolate between the two images' codes")
