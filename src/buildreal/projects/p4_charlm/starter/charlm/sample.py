"""Generating text: temperature and top-k sampling."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


@torch.no_grad()
def sample(model: nn.Module, prime: Sequence[int], length: int, *, temperature: float = 1.0,
           top_k: int | None = None, generator: torch.Generator | None = None) -> list[int]:
    """``length`` new character ids that follow ``prime``.

    Read the prime through the model, then repeatedly: take the last logits, divide them
    by ``temperature``, keep only the ``top_k`` largest if given, softmax, draw one id with
    ``torch.multinomial(..., generator=generator)`` and feed it back in with the state.
    """
    raise NotImplementedError("sample")
