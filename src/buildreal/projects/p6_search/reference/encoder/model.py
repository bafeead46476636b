"""The encoder: weighted mean of hashed word/trigram embeddings, a linear map, unit length.

Small on purpose: a bag of features trains in minutes on a laptop CPU, and the lesson of
the project is the loss and the evaluation, not the architecture. Two choices matter for
telling near-duplicate verses apart: a wide table (512), so the hundred-odd feature
vectors of a verse are close to orthogonal and one distinguishing word still moves the
mean, and a learned importance per feature, so "and", "the" and "unto" can count for
less, as BM25's inverse document frequency makes them.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .tokenize import PAD

# softplus(x + SOFTPLUS_ONE) is 1 at x = 0: a zero-initialised importance table starts
# as the plain mean.
SOFTPLUS_ONE = math.log(math.e - 1.0)


class BagEncoder(nn.Module):
    def __init__(self, buckets: int, dim: int, out_dim: int) -> None:
        super().__init__()
        # No padding_idx: the PAD row is an ordinary trained vector, so pooling must use
        # the mask to leave it out (averaging it in changes every embedding).
        # sparse=True: a batch touches a few thousand of the rows, so its gradient (and
        # the optimizer's update) covers those rows only, not the whole table.
        self.embed = nn.Embedding(buckets, dim, sparse=True)
        # One learned number per feature: its weight in the mean, softplus keeps it > 0.
        self.importance = nn.Embedding(buckets, 1, sparse=True)
        self.proj = nn.Linear(dim, out_dim)
        self.out_dim = out_dim

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, T) -> (B, out_dim), rows of unit length."""
        mask = (ids != PAD).unsqueeze(-1).float()  # (B, T, 1)
        weights = mask * F.softplus(self.importance(ids) + SOFTPLUS_ONE)  # (B, T, 1)
        summed = (self.embed(ids) * weights).sum(dim=1)  # (B, dim)
        pooled = summed / weights.sum(dim=1).clamp(min=1e-6)  # (B, dim): weighted mean
        return F.normalize(self.proj(pooled), dim=-1)  # cosine = dot product from here on


def build_model(*, seed: int, buckets: int = 2**17, dim: int = 512,
                out_dim: int = 512) -> BagEncoder:
    """A freshly initialised encoder; the same seed gives the same weights."""
    torch.manual_seed(seed)
    model = BagEncoder(buckets, dim, out_dim)
    nn.init.normal_(model.embed.weight, std=0.1)
    nn.init.zeros_(model.importance.weight)  # every feature weighs 1 at the start
    return model
