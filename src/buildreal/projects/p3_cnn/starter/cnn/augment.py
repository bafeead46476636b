"""Data augmentation in plain tensor code (no torchvision)."""

from __future__ import annotations

import torch


def augment(x: torch.Tensor, *, train: bool, generator: torch.Generator | None = None,
            max_shift: int = 2, flip: bool = True) -> torch.Tensor:
    """Randomly shifted (and, for images, horizontally flipped) copies of ``x``.

    x: (N, C, H, W) images or (N, C, L) signals. When ``train`` is False, return ``x``
    unchanged: evaluation must see the real images. Draw every random number from
    ``generator`` so a seed reproduces the run.
    """
    # TODO: pad each image by max_shift pixels, then crop it back at a random offset;
    # flip a random half of the images left-right when ``flip`` is set.
    raise NotImplementedError("augment")
