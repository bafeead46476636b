"""An encoder-decoder Transformer with pre-layer-norm blocks; one joint subword vocabulary,
so one embedding matrix can serve the source, the target and the output projection."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class ModelConfig:
    vocab_size: int
    d_model: int = 256
    heads: int = 4
    layers: int = 3  # encoder layers, and as many decoder layers
    d_ff: int = 512
    dropout: float = 0.1
    max_len: int = 128
    pad_id: int = 0
    positional: bool = True  # False: no positional encoding (the order experiment)


def sinusoidal_positions(max_len: int, d_model: int) -> torch.Tensor:
    """(max_len, d_model) fixed positional encodings."""
    raise NotImplementedError("TODO: sines and cosines of geometric wavelengths")


class Transformer(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        # TODO: embeddings, positions, encoder and decoder layers (pre-LN), final norms
        raise NotImplementedError("TODO: build the layers")

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """src (B, S) -> memory (B, S, D) and the source padding mask."""
        raise NotImplementedError("TODO: embed, add positions, run the encoder layers")

    def decode(self, tgt_in: torch.Tensor, memory: torch.Tensor,
               src_mask: torch.Tensor) -> torch.Tensor:
        """tgt_in (B, T), starting with BOS -> logits (B, T, V) for the next tokens."""
        raise NotImplementedError("TODO: masked self-attention, cross-attention, output")

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """(B, S), (B, T) -> logits (B, T, V)."""
        raise NotImplementedError("TODO: encode, then decode")

    def cross_attention(self) -> list[torch.Tensor]:
        """Each decoder layer's cross-attention weights (B, H, T, S) from the last forward."""
        raise NotImplementedError("TODO: collect the kept weights")


def build_model(config: ModelConfig, *, seed: int = 0) -> Transformer:
    """A freshly initialised Transformer; the same seed must give the same weights."""
    raise NotImplementedError("TODO: seed, then build")
