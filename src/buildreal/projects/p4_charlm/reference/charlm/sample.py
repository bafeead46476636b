"""Sampling text from the model: temperature and top-k."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


@torch.no_grad()
def sample(
    model: nn.Module,
    prime: Sequence[int],
    length: int,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: torch.Generator | None = None,
) -> list[int]:
    """``length`` new character ids following ``prime`` (which must not be empty).

    The logits are divided by ``temperature`` before the softmax: below 1 the distribution
    sharpens toward the likeliest character, above 1 it flattens toward uniform. ``top_k``
    keeps only the k likeliest characters before drawing.
    """
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, not {temperature}")
    if not prime:
        raise ValueError("prime must hold at least one character")
    model.eval()
    logits, state = model(torch.tensor([list(prime)]), None)  # (1, T, V): read the prime
    last = logits[0, -1]  # (V,)
    out: list[int] = []
    for _ in range(length):
        scaled = last / temperature
        if top_k is not None and top_k < scaled.numel():
            kth = torch.topk(scaled, top_k).values[-1]
            scaled = scaled.masked_fill(scaled < kth, float("-inf"))
        probs = torch.softmax(scaled, dim=-1)
        nxt = int(torch.multinomial(probs, 1, generator=generator))
        out.append(nxt)
        logits, state = model(torch.tensor([[nxt]]), state)  # (1, 1, V)
        last = logits[0, -1]
    return out
