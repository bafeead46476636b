"""Truncated backpropagation through time with teacher forcing and gradient clipping.

The text is cut into ``batch_size`` parallel streams. Each step takes the next
``seq_len`` characters of every stream as input and the same characters shifted by one
as targets (teacher forcing: the model always reads the true previous character, never
its own guess). The hidden state at the end of one window starts the next, so the model
can use context longer than a window, but it is detached in between, so backpropagation
stops at the window edge (Williams and Peng, 1990).

The learning rate follows a short linear warmup and then a cosine decay, as a function of
the fraction of the run done. A run with a time budget (``max_seconds``) takes that
fraction from its clock, so the decay ends when the budget does, however fast the
machine turns out to be; otherwise it is the fraction of ``steps`` taken.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from .model import detach_state


@dataclass
class TrainConfig:
    seq_len: int = 64
    """Characters per truncated-BPTT window. The state still carries context across
    windows. At an equal budget (200 s on one CPU thread) 64 gave 2.227 bits/char on the
    held-out plays, against 2.264 for 128 and 2.244 for 32: shorter windows mean more
    updates per character seen, until the gradient stops reaching far enough back."""
    batch_size: int = 32
    """Parallel streams through the text."""
    steps: int = 4000
    lr: float = 1e-2
    """Adam's peak rate; a cosine schedule decays it to ``final_lr_ratio`` of itself."""
    warmup: float = 0.0
    """Fraction of the run over which the rate climbs linearly to its peak first."""
    final_lr_ratio: float = 0.1
    """The rate at the end of the run, as a fraction of the peak."""
    clip: float | None = 1.0
    """Largest total gradient norm; None trains without clipping."""
    seed: int = 0
    optimizer: str = "adam"
    """"adam", or "sgd" (plain SGD, where an exploding gradient hits the weights in full)."""
    max_seconds: float | None = None
    """Time budget (benchmarks): the schedule runs to its end over this many seconds of
    ``clock`` and training stops there, or at ``steps``, whichever comes first."""
    bf16: bool = False
    """Run the forward pass under CPU autocast to bfloat16 (weights and optimizer stay
    float32): faster only on CPUs with bfloat16 instructions."""
    clock: Callable[[], float] = field(default=time.perf_counter, repr=False)
    """What ``max_seconds`` is measured on: wall-clock time by default,
    ``time.process_time`` for this process's CPU time (fair on a shared machine)."""


def lr_at(progress: float, cfg: TrainConfig) -> float:
    """Learning rate once ``progress`` (0 to 1) of the run is done: a linear climb from
    ``final_lr_ratio * lr`` to ``lr`` over the first ``warmup`` of the run, then half a
    cosine down to ``final_lr_ratio * lr`` at the end."""
    p = min(max(progress, 0.0), 1.0)
    low = cfg.lr * cfg.final_lr_ratio
    if p < cfg.warmup:
        return low + (cfg.lr - low) * p / cfg.warmup
    decay = (p - cfg.warmup) / (1.0 - cfg.warmup) if cfg.warmup < 1 else 1.0
    return low + (cfg.lr - low) * 0.5 * (1.0 + math.cos(math.pi * decay))


def batchify(data: torch.Tensor, batch_size: int) -> torch.Tensor:
    """(N,) ids -> (batch_size, N // batch_size): row b is one contiguous stream."""
    n = data.numel() // batch_size
    return data[: n * batch_size].view(batch_size, n)


def train_tbptt(
    model: nn.Module,
    data: torch.Tensor,
    config: TrainConfig | None = None,
    on_step: Callable[[int, dict[str, float]], None] | None = None,
) -> dict[str, list[float]]:
    """Train in place; returns per-step ``loss`` (nats/char), ``grad_norm`` (before
    clipping) and ``lr``."""
    cfg = config or TrainConfig()
    if cfg.optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', not {cfg.optimizer!r}")
    torch.manual_seed(cfg.seed)  # dropout
    gen = torch.Generator().manual_seed(cfg.seed)
    streams = batchify(data, cfg.batch_size)  # (B, L)
    length = streams.shape[1]
    if length <= cfg.seq_len + 1:
        raise ValueError(f"text too short: {data.numel()} characters for {cfg.batch_size} "
                         f"streams of windows of {cfg.seq_len}")
    opt = (torch.optim.Adam(model.parameters(), lr=cfg.lr) if cfg.optimizer == "adam"
           else torch.optim.SGD(model.parameters(), lr=cfg.lr))
    history: dict[str, list[float]] = {"loss": [], "grad_norm": [], "lr": []}
    start_time = cfg.clock()
    model.train()
    state = None
    pos = int(torch.randint(0, cfg.seq_len, (1,), generator=gen))  # vary window borders
    for step in range(cfg.steps):
        progress = step / max(1, cfg.steps)
        if cfg.max_seconds is not None:  # the budget may run out before the steps do
            progress = max(progress, (cfg.clock() - start_time) / cfg.max_seconds)
        lr = lr_at(progress, cfg)
        for group in opt.param_groups:
            group["lr"] = lr
        if pos + cfg.seq_len + 1 > length:  # end of the streams: start a new pass
            pos, state = int(torch.randint(0, cfg.seq_len, (1,), generator=gen)), None
        x = streams[:, pos : pos + cfg.seq_len]  # (B, T) inputs: the true characters
        y = streams[:, pos + 1 : pos + cfg.seq_len + 1]  # (B, T) targets: the next ones
        pos += cfg.seq_len
        if state is not None:
            state = detach_state(state)  # carry the values, cut the graph
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            logits, state = model(x, state)  # (B, T, V)
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        # Pascanu, Mikolov and Bengio (2013): rescale the whole gradient when its norm is
        # too large, so one exploding step cannot throw the weights far away.
        max_norm = cfg.clip if cfg.clip is not None else math.inf
        norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm))
        opt.step()
        history["loss"].append(loss.item())
        history["grad_norm"].append(norm)
        history["lr"].append(lr)
        if on_step:
            on_step(step, {"loss": loss.item(), "grad_norm": norm})
        if cfg.max_seconds is not None and cfg.clock() - start_time >= cfg.max_seconds:
            break
    return history


@torch.no_grad()
def evaluate_nats(model: nn.Module, data: torch.Tensor, batch_size: int = 16,
                  seq_len: int = 256) -> float:
    """Mean cross-entropy in nats per predicted character, state carried through the text.

    Perplexity is ``exp`` of it; bits per character is it divided by ``ln 2``.
    """
    model.eval()
    streams = batchify(data, batch_size)  # (B, L)
    total, count, state = 0.0, 0, None
    for pos in range(0, streams.shape[1] - 1, seq_len):
        x = streams[:, pos : pos + seq_len]
        y = streams[:, pos + 1 : pos + seq_len + 1]
        x = x[:, : y.shape[1]]
        logits, state = model(x, state)
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                 reduction="sum").item()
        count += y.numel()
    model.train()
    return total / count
