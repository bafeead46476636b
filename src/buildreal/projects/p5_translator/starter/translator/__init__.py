"""Your Project 5 package: an encoder-decoder Transformer translating English and Spanish.

`buildreal project check p5-translator .` imports these names from here; keep them exported.
"""

from .attention import MultiHeadAttention, causal_mask, padding_mask, scaled_dot_product_attention
from .decode import beam_search, greedy_decode
from .model import ModelConfig, Transformer, build_model, sinusoidal_positions
from .tokenizer import BOS, EOS, PAD, UNK, decode, encode, train_tokenizer
from .train import TrainConfig, label_smoothed_loss, lr_at, pad_batch, train_translator

__all__ = [
    "BOS",
    "EOS",
    "PAD",
    "UNK",
    "ModelConfig",
    "MultiHeadAttention",
    "TrainConfig",
    "Transformer",
    "beam_search",
    "build_model",
    "causal_mask",
    "decode",
    "encode",
    "greedy_decode",
    "label_smoothed_loss",
    "lr_at",
    "pad_batch",
    "padding_mask",
    "scaled_dot_product_attention",
    "sinusoidal_positions",
    "train_tokenizer",
    "train_translator",
]
