"""The encoder: token ids (B, T) -> sentence vectors (B, out_dim) of unit length."""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will want F.normalize)
from torch import nn

from .tokenize import PAD  # noqa: F401  (padding positions hold this id)


class BagEncoder(nn.Module):
    def __init__(self, buckets: int, dim: int, out_dim: int) -> None:
        super().__init__()
        # The PAD row is an ordinary vector here: pooling must leave padding out itself.
        self.embed = nn.Embedding(buckets, dim, sparse=True)
        self.proj = nn.Linear(dim, out_dim)
        self.out_dim = out_dim

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, T) -> (B, out_dim), rows of unit length."""
        # TODO: embed the ids, average over the real (non-PAD) positions of each row,
        # apply self.proj, and scale every row to unit length.
        raise NotImplementedError("TODO: BagEncoder.forward (mean pooling over real tokens)")


def build_model(*, seed: int, buckets: int = 2**17, dim: int = 128,
                out_dim: int = 128) -> BagEncoder:
    """A freshly initialised encoder; the same seed gives the same weights."""
    torch.manual_seed(seed)
    model = BagEncoder(buckets, dim, out_dim)
    nn.init.normal_(model.embed.weight, std=0.1)
    return model
