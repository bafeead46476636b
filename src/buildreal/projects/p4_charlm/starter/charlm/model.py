"""The character-level language model: embedding -> recurrent core -> linear read-out."""

from __future__ import annotations

import torch
from torch import nn


class CharLM(nn.Module):
    def __init__(self, vocab_size: int, hidden_size: int = 256, cell: str = "lstm",
                 num_layers: int = 1, embed_size: int = 64, dropout: float = 0.1) -> None:
        super().__init__()
        # TODO: an nn.Embedding, an nn.LSTM / nn.GRU / nn.RNN chosen by `cell`
        # (batch_first=True), dropout, and an nn.Linear back to vocab_size logits.
        raise NotImplementedError("CharLM.__init__")

    def init_state(self, batch_size: int):  # -> Tensor, or (h, c) for an LSTM
        """The zero state, shaped (num_layers, batch_size, hidden_size)."""
        raise NotImplementedError("CharLM.init_state")

    def forward(self, x: torch.Tensor, state=None):  # -> (logits, state)
        """x: (B, T) character ids -> logits (B, T, vocab_size) and the state after the
        last step. ``state=None`` means the start of a text."""
        raise NotImplementedError("CharLM.forward")
