"""Training-time augmentation in plain tensor code: random shifts and horizontal flips.

A random shift is a random crop of a zero-padded image, so every label survives it.
Flips are label-preserving for Fashion-MNIST's clothes but not for MNIST-1D's digit
signals (a reversed "7" pattern is another pattern), hence the ``flip`` switch.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def augment(
    x: torch.Tensor,
    *,
    train: bool,
    generator: torch.Generator | None = None,
    max_shift: int = 2,
    flip: bool = True,
) -> torch.Tensor:
    """Randomly shifted (and, for images, flipped) copies of ``x``; ``x`` itself when not
    training, so evaluation always sees the real images.

    x: (N, C, H, W) images or (N, C, L) signals.
    """
    if not train:
        return x
    n = x.shape[0]
    spatial = x.shape[2:]
    p = max_shift
    # replicate the border: the padding looks like background, not like a black frame
    padded = F.pad(x, (p, p) * len(spatial), mode="replicate")  # (N, C, H+2p, W+2p) | (N, C, L+2p)
    offsets = torch.randint(0, 2 * p + 1, (n, len(spatial)), generator=generator)
    batch = torch.arange(n)
    if len(spatial) == 2:
        h, w = spatial
        rows = offsets[:, 0, None] + torch.arange(h)  # (N, H)
        cols = offsets[:, 1, None] + torch.arange(w)  # (N, W)
        out = padded[batch[:, None, None], :, rows[:, :, None], cols[:, None, :]]  # (N, H, W, C)
        out = out.permute(0, 3, 1, 2)  # (N, C, H, W)
        if flip:
            flips = torch.rand(n, generator=generator) < 0.5
            out = torch.where(flips[:, None, None, None], out.flip(3), out)
    else:
        (length,) = spatial
        pos = offsets[:, 0, None] + torch.arange(length)  # (N, L)
        out = padded[batch[:, None], :, pos].permute(0, 2, 1)  # (N, L, C) -> (N, C, L)
    return out.contiguous()
