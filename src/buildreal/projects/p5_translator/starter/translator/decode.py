"""Turning a trained model into translations: greedy decoding and beam search."""

from __future__ import annotations

import torch

from .model import Transformer


def greedy_decode(model: Transformer, src: torch.Tensor, max_len: int = 60
                  ) -> list[list[int]]:
    """src (B, S) -> per sentence the ids chosen one most likely token at a time, up to
    EOS (returned without BOS/EOS)."""
    raise NotImplementedError("TODO: encode once, then extend the target token by token")


def beam_search(model: Transformer, src: torch.Tensor, beam: int = 4, max_len: int = 60,
                alpha: float = 0.6) -> list[list[int]]:
    """src (B, S) -> per sentence the best finished hypothesis of a beam search."""
    raise NotImplementedError("TODO: keep the `beam` best prefixes at every step")
