"""Reference solution of Project 5: an encoder-decoder Transformer that translates short
sentences between English and Spanish.

The Definition-of-Done checks import this package the same way they import a learner's
``translator/`` folder, so the reference is judged by the same rules it sets.
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
