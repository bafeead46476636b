"""Scaled dot-product attention, the masks it needs, and multi-head attention.

Masks are boolean and say where a query MAY look (True = attend), shaped to broadcast
against the (B, H, Tq, Tk) score matrix.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 mask: torch.Tensor | None = None
                                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """softmax(q k^T / sqrt(d_k)) v (Vaswani et al. 2017, eq. 1).

    q (B, H, Tq, d_k), k (B, H, Tk, d_k), v (B, H, Tk, d_v); mask broadcastable to
    (B, H, Tq, Tk). Returns the output (B, H, Tq, d_v) and the weights (B, H, Tq, Tk),
    each row a probability distribution over the keys.
    """
    # Dividing by sqrt(d_k) keeps the scores' variance near 1 whatever the head size, so
    # the softmax does not saturate into one-hot rows with vanishing gradients.
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (B, H, Tq, Tk)
    if mask is not None:
        # Masked before the softmax, so the remaining weights still sum to 1.
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # over the keys: one distribution per query
    return weights @ v, weights


def padding_mask(ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(B, S) token ids -> (B, 1, 1, S): no query may attend to a padding key."""
    return (ids != pad_id)[:, None, None, :]


def causal_mask(length: int, device: torch.device | None = None) -> torch.Tensor:
    """(1, 1, T, T), True on and below the diagonal: position t sees positions 0..t only."""
    return torch.ones(length, length, dtype=torch.bool, device=device).tril()[None, None]


class MultiHeadAttention(nn.Module):
    """H heads of size d_model / H, each with its own projections, concatenated.

    The weights of the last forward are kept in ``self.weights`` (B, H, Tq, Tk), detached,
    for the attention plots.
    """

    def __init__(self, d_model: int, heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        if d_model % heads:
            raise ValueError(f"d_model {d_model} is not divisible by {heads} heads")
        self.heads, self.d_k = heads, d_model // heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout)
        self.weights: torch.Tensor | None = None

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.d_k).transpose(1, 2)  # (B, H, T, d_k)

    def forward(self, x_q: torch.Tensor, x_kv: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """x_q (B, Tq, D) attends to x_kv (B, Tk, D) -> (B, Tq, D)."""
        q, k, v = self._split(self.q_proj(x_q)), self._split(self.k_proj(x_kv)), \
            self._split(self.v_proj(x_kv))
        out, weights = scaled_dot_product_attention(q, k, v, mask)  # (B, H, Tq, d_k)
        self.weights = weights.detach()
        b, _, t, _ = out.shape
        out = out.transpose(1, 2).reshape(b, t, self.heads * self.d_k)  # (B, Tq, D)
        return self.out_proj(self.dropout(out))
