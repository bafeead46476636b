"""Scaled dot-product attention, the masks it needs, and multi-head attention.

Masks are boolean and say where a query MAY look (True = attend), shaped to broadcast
against the (B, H, Tq, Tk) score matrix.
"""

from __future__ import annotations

import torch
from torch import nn


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 mask: torch.Tensor | None = None
                                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """q (B, H, Tq, d_k), k (B, H, Tk, d_k), v (B, H, Tk, d_v); mask broadcastable to
    (B, H, Tq, Tk), True where a query may look. Returns (output (B, H, Tq, d_v),
    weights (B, H, Tq, Tk)), each row of weights a distribution over the keys."""
    raise NotImplementedError("TODO: softmax of the scaled scores, masked, times v")


def padding_mask(ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(B, S) token ids -> a boolean mask that hides padding keys from every query."""
    raise NotImplementedError("TODO: True where a key is a real token")


def causal_mask(length: int, device: torch.device | None = None) -> torch.Tensor:
    """(1, 1, T, T) boolean: which target positions each position may see."""
    raise NotImplementedError("TODO: a lower-triangular mask")


class MultiHeadAttention(nn.Module):
    """H heads of size d_model / H; keeps the last forward's weights in ``self.weights``
    (B, H, Tq, Tk), detached, for the attention plots."""

    def __init__(self, d_model: int, heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.heads, self.d_k = heads, d_model // heads
        self.weights: torch.Tensor | None = None
        # TODO: projections for queries, keys, values and the output; dropout
        raise NotImplementedError("TODO: the four projections")

    def forward(self, x_q: torch.Tensor, x_kv: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """x_q (B, Tq, D) attends to x_kv (B, Tk, D) -> (B, Tq, D)."""
        raise NotImplementedError("TODO: project, split into heads, attend, merge")
