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
        # One learned number per feature, its weight in the mean (zero at the start).
        # Optional: plain mean pooling passes the checks; using it lets training learn to
        # count "and", "the" and "unto" for less, as BM25's IDF does.
        self.importance = nn.Embedding(buckets, 1, sparse=True)
        self.proj = nn.Linear(dim, out_dim)
        self.out_dim = out_dim

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, T) -> (B, out_dim), rows of unit length."""
        # TODO: embed the ids, average over the real (non-PAD) positions of each row,
        # apply self.proj, and scale every row to unit length. (Extension: a weighted
        # mean, each real position weighted by F.softplus(self.importance(ids) + c) with
        # c = log(e - 1), so every weight is positive and starts at 1.)
        raise NotImplementedError("TODO: BagEncoder.forward (mean pooling over real tokens)")


def build_model(*, seed: int, buckets: int = 2**17, dim: int = 512,
                out_dim: int = 512) -> BagEncoder:
    """A freshly initialised encoder; the same seed gives the same weights."""
    torch.manual_seed(seed)
    model = BagEncoder(buckets, dim, out_dim)
    nn.init.normal_(model.embed.weight, std=0.1)
    nn.init.zeros_(model.importance.weight)
    return model
