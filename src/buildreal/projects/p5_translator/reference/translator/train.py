"""Training: label-smoothed cross-entropy, Adam with warm-up then inverse-square-root
decay, length-bucketed batches; every random choice drawn from ``config.seed``."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F

from .model import ModelConfig, Transformer, build_model
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
    """Linear warm-up to ``peak`` over ``warmup_steps``, then decay as 1/sqrt(step)
    (the schedule of Vaswani et al. 2017, section 5.3, rescaled to a chosen peak)."""
    s = step + 1
    return peak * min(s / warmup_steps, math.sqrt(warmup_steps / s))


def label_smoothed_loss(logits: torch.Tensor, target: torch.Tensor, pad_id: int = PAD,
                        smoothing: float = 0.1) -> torch.Tensor:
    """Mean over non-padding tokens of (1 - eps) * NLL + eps * mean over the vocabulary of
    -log p (Szegedy et al. 2016): logits (B, T, V), target (B, T) -> scalar."""
    logp = F.log_softmax(logits, dim=-1)  # (B, T, V)
    nll = -logp.gather(-1, target.unsqueeze(-1)).squeeze(-1)  # (B, T)
    uniform = -logp.mean(dim=-1)  # (B, T)
    per_token = (1.0 - smoothing) * nll + smoothing * uniform
    keep = target != pad_id
    return per_token[keep].mean()


def pad_batch(seqs: list[list[int]], pad_id: int = PAD) -> torch.Tensor:
    """Lists of ids -> (B, max length) padded on the right."""
    width = max(len(s) for s in seqs)
    out = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return out


def make_batches(src: list[list[int]], tgt: list[list[int]], batch_size: int,
                 gen: torch.Generator) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Shuffle, group similar lengths (less padding), shuffle the groups.
    Each batch: src (B, S), tgt_in (B, T) = BOS + y, tgt_out (B, T) = y + EOS."""
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
    """Train on token-id pairs (no BOS/EOS: added here). Returns the model in eval mode
    and a history: "loss" per step, "lr" per step, "epoch_loss" per epoch."""
    model = build_model(config.model_config(), seed=config.seed)
    gen = torch.Generator().manual_seed(config.seed)  # batch order
    torch.manual_seed(config.seed)  # dropout masks
    opt = torch.optim.Adam(model.parameters(), lr=config.lr, betas=(0.9, 0.98), eps=1e-9)
    history: dict[str, list[float]] = {"loss": [], "lr": [], "epoch_loss": []}
    step, started = 0, time.perf_counter()
    for epoch in range(config.epochs):
        model.train()
        total, count = 0.0, 0
        for s, t_in, t_out in make_batches(src, tgt, config.batch_size, gen):
            lr = lr_at(step, config.warmup_steps, config.lr)
            for group in opt.param_groups:
                group["lr"] = lr
            loss = label_smoothed_loss(model(s, t_in), t_out, PAD, config.label_smoothing)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip_norm)
            opt.step()
            step += 1
            value = loss.item()
            history["loss"].append(value)
            history["lr"].append(lr)
            total, count = total + value, count + 1
            if config.max_seconds is not None \
                    and time.perf_counter() - started > config.max_seconds:
                break
        history["epoch_loss"].append(total / max(count, 1))
        if on_epoch is not None:
            on_epoch(epoch, {"loss": history["epoch_loss"][-1], "lr": lr, "steps": step})
        if config.max_seconds is not None and time.perf_counter() - started > config.max_seconds:
            break
    model.eval()
    return model, history
