"""Training: label-smoothed cross-entropy, Adam with warm-up then decay, length-bucketed
batches; every random choice drawn from ``config.seed``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch

from .model import ModelConfig, Transformer
from .tokenizer import BOS, EOS, PAD


@dataclass(frozen=True)
class TrainConfig:
    vocab_size: int = 6000
    d_model: int = 256
    heads: int = 4
    layers: int = 3
    d_ff: int = 512
    dropout: float = 0.1
    positional: bool = True
    max_len: int = 128
    batch_size: int = 64  # sentence pairs per step
    epochs: int = 10
    max_seconds: float | None = None  # stop after this much training time, if given
    lr: float = 1e-3  # the peak learning rate, reached at the end of the warm-up
    warmup_steps: int = 400
    label_smoothing: float = 0.1
    clip_norm: float = 1.0
    seed: int = 0

    def model_config(self) -> ModelConfig:
        fields = asdict(self)
        keep = ModelConfig.__dataclass_fields__
        return ModelConfig(**{k: v for k, v in fields.items() if k in keep}, pad_id=PAD)


def lr_at(step: int, warmup_steps: int, peak: float) -> float:
    """The learning rate at an optimizer step: warm up to ``peak``, then decay."""
    raise NotImplementedError("TODO: linear warm-up, then decay")


def label_smoothed_loss(logits: torch.Tensor, target: torch.Tensor, pad_id: int = PAD,
                        smoothing: float = 0.1) -> torch.Tensor:
    """logits (B, T, V), target (B, T) -> mean label-smoothed cross-entropy over the
    non-padding tokens."""
    raise NotImplementedError("TODO: the smoothed loss, ignoring padding")


def pad_batch(seqs: list[list[int]], pad_id: int = PAD) -> torch.Tensor:
    """Lists of ids -> (B, max length) padded on the right."""
    width = max(len(s) for s in seqs)
    out = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return out


def make_batches(src: list[list[int]], tgt: list[list[int]], batch_size: int,
                 gen: torch.Generator) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Shuffled batches of similar lengths: src (B, S), tgt_in = BOS + y, tgt_out = y + EOS."""
    order = torch.randperm(len(src), generator=gen).tolist()
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: len(tgt[i]) + len(src[i]))
        for b in range(0, len(chunk), batch_size):
            idx = chunk[b:b + batch_size]
            batches.append((pad_batch([src[i] for i in idx]),
                            pad_batch([[BOS] + tgt[i] for i in idx]),
                            pad_batch([tgt[i] + [EOS] for i in idx])))
    perm = torch.randperm(len(batches), generator=gen).tolist()
    return [batches[i] for i in perm]


def train_translator(config: TrainConfig, src: list[list[int]], tgt: list[list[int]],
                     on_epoch: Callable[[int, dict[str, float]], None] | None = None
                     ) -> tuple[Transformer, dict[str, list[float]]]:
    """Train on token-id pairs (no BOS/EOS: make_batches adds them). Return the model in
    eval mode and a history with the loss of every step under "loss"."""
    raise NotImplementedError("TODO: the seeded training loop")
