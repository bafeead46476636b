"""The encoder: mean of hashed word/trigram embeddings, a linear map, unit length.

Small on purpose: a bag of features trains in minutes on a laptop CPU, and the lesson of
the project is the loss and the evaluation, not the architecture.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .tokenize import PAD


class BagEncoder(nn.Module):
    def __init__(self, buckets: int, dim: int, out_dim: int) -> None:
        super().__init__()
        # No padding_idx: the PAD row is an ordinary trained vector, so pooling must use
        # the mask to leave it out (averaging it in changes every embedding).
        # sparse=True: a batch touches a few thousand of the rows, so its gradient (and
        # the optimizer's update) covers those rows only, not the whole table.
        self.embed = nn.Embedding(buckets, dim, sparse=True)
        self.proj = nn.Linear(dim, out_dim)
        self.out_dim = out_dim

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, T) -> (B, out_dim), rows of unit length."""
        mask = (ids != PAD).unsqueeze(-1).float()  # (B, T, 1)
        summed = (self.embed(ids) * mask).sum(dim=1)  # (B, dim)
        pooled = summed / mask.sum(dim=1).clamp(min=1.0)  # (B, dim): mean over real tokens
        return F.normalize(self.proj(pooled), dim=-1)  # cosine = dot product from here on


def build_model(*, seed: int, buckets: int = 2**17, dim: int = 128,
                out_dim: int = 128) -> BagEncoder:
    """A freshly initialised encoder; the same seed gives the same weights."""
    torch.manual_seed(seed)
    model = BagEncoder(buckets, dim, out_dim)
    nn.init.normal_(model.embed.weight, std=0.1)
    return model
