"""An encoder-decoder Transformer with pre-layer-norm blocks (Vaswani et al. 2017;
pre-LN after Xiong et al. 2020, which trains stably with a short warm-up).

One joint subword vocabulary serves both languages, so the source embedding, the
target embedding and the output projection share one matrix (Press and Wolf 2017).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from .attention import MultiHeadAttention, causal_mask, padding_mask


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
    """(max_len, d_model): sin on even, cos on odd features, wavelengths 2 pi .. 10^4 2 pi."""
    pos = torch.arange(max_len, dtype=torch.float32)[:, None]  # (L, 1)
    freq = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32)
                     * (-math.log(10000.0) / d_model))  # (D/2,)
    table = torch.zeros(max_len, d_model)
    table[:, 0::2] = torch.sin(pos * freq)
    table[:, 1::2] = torch.cos(pos * freq)
    return table


class FeedForward(nn.Sequential):
    def __init__(self, d_model: int, d_ff: int, dropout: float) -> None:
        super().__init__(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(d_ff, d_model))


class EncoderLayer(nn.Module):
    def __init__(self, c: ModelConfig) -> None:
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.self_attn = MultiHeadAttention(c.d_model, c.heads, c.dropout)
        self.ff = FeedForward(c.d_model, c.d_ff, c.dropout)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x: torch.Tensor, src_mask: torch.Tensor) -> torch.Tensor:
        # Pre-LN: normalise the sublayer's input, keep the residual path untouched.
        h = self.norm1(x)
        x = x + self.drop(self.self_attn(h, h, src_mask))
        return x + self.drop(self.ff(self.norm2(x)))


class DecoderLayer(nn.Module):
    def __init__(self, c: ModelConfig) -> None:
        super().__init__()
        self.norm1, self.norm2, self.norm3 = (nn.LayerNorm(c.d_model) for _ in range(3))
        self.self_attn = MultiHeadAttention(c.d_model, c.heads, c.dropout)
        self.cross_attn = MultiHeadAttention(c.d_model, c.heads, c.dropout)
        self.ff = FeedForward(c.d_model, c.d_ff, c.dropout)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, y: torch.Tensor, memory: torch.Tensor, tgt_mask: torch.Tensor,
                src_mask: torch.Tensor) -> torch.Tensor:
        h = self.norm1(y)
        y = y + self.drop(self.self_attn(h, h, tgt_mask))
        y = y + self.drop(self.cross_attn(self.norm2(y), memory, src_mask))
        return y + self.drop(self.ff(self.norm3(y)))


class Transformer(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.embed = nn.Embedding(c.vocab_size, c.d_model, padding_idx=c.pad_id)
        nn.init.normal_(self.embed.weight, std=c.d_model ** -0.5)
        self.register_buffer("positions", sinusoidal_positions(c.max_len, c.d_model),
                             persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer(c) for _ in range(c.layers))
        self.decoder = nn.ModuleList(DecoderLayer(c) for _ in range(c.layers))
        self.enc_norm, self.dec_norm = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.drop = nn.Dropout(c.dropout)

    def _embed(self, ids: torch.Tensor) -> torch.Tensor:
        """(B, T) -> (B, T, D): scaled embeddings plus (optionally) positions."""
        x = self.embed(ids) * math.sqrt(self.config.d_model)
        if self.config.positional:
            x = x + self.positions[: ids.size(1)]
        return self.drop(x)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """src (B, S) -> memory (B, S, D) and its padding mask (B, 1, 1, S)."""
        src_mask = padding_mask(src, self.config.pad_id)
        x = self._embed(src)
        for layer in self.encoder:
            x = layer(x, src_mask)
        return self.enc_norm(x), src_mask

    def decode(self, tgt_in: torch.Tensor, memory: torch.Tensor,
               src_mask: torch.Tensor) -> torch.Tensor:
        """tgt_in (B, T) (starts with BOS) -> logits (B, T, V) for the next tokens."""
        t = tgt_in.size(1)
        # A query may look at earlier, non-padding target tokens only.
        tgt_mask = causal_mask(t, tgt_in.device) & padding_mask(tgt_in, self.config.pad_id)
        y = self._embed(tgt_in)
        for layer in self.decoder:
            y = layer(y, memory, tgt_mask, src_mask)
        return self.dec_norm(y) @ self.embed.weight.T  # tied output projection

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """(B, S), (B, T) -> logits (B, T, V)."""
        memory, src_mask = self.encode(src)
        return self.decode(tgt_in, memory, src_mask)

    def cross_attention(self) -> list[torch.Tensor]:
        """Each decoder layer's cross-attention weights from the last forward, each
        (B, H, T, S): row t says which source tokens output position t looked at."""
        return [layer.cross_attn.weights for layer in self.decoder
                if layer.cross_attn.weights is not None]


def build_model(config: ModelConfig, *, seed: int = 0) -> Transformer:
    """A freshly initialised Transformer; the same seed always gives the same weights."""
    torch.manual_seed(seed)
    return Transformer(config)
