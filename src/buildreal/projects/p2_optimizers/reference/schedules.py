"""Learning-rate schedules (step t counts from 0) and gradient-norm clipping."""

from __future__ import annotations

import math

import numpy as np


def step_decay(t: int, base_lr: float, step_size: int, gamma: float = 0.5) -> float:
    """Multiply the rate by ``gamma`` every ``step_size`` steps (torch's StepLR)."""
    return base_lr * gamma ** (t // step_size)


def cosine(t: int, base_lr: float, total_steps: int, min_lr: float = 0.0) -> float:
    """Half a cosine from ``base_lr`` at t=0 to ``min_lr`` at t=total_steps
    (torch's CosineAnnealingLR, closed form)."""
    t = min(t, total_steps)
    return min_lr + (base_lr - min_lr) * (1.0 + math.cos(math.pi * t / total_steps)) / 2.0


def linear_warmup(t: int, base_lr: float, warmup_steps: int) -> float:
    """Ramp linearly from base_lr/warmup_steps at t=0 to base_lr at t=warmup_steps−1, then
    hold (torch's LinearLR with start_factor=1/warmup_steps). Early steps are small while
    adaptive statistics are still noisy."""
    return base_lr * min(1.0, (t + 1) / warmup_steps)


def clip_grad_norm(grad: np.ndarray, max_norm: float) -> np.ndarray:
    """Rescale ``grad`` so its L2 norm is at most ``max_norm`` (direction unchanged), with
    the same 1e-6 guard as torch.nn.utils.clip_grad_norm_."""
    norm = float(np.sqrt(np.sum(grad * grad)))
    coef = max_norm / (norm + 1e-6)
    return grad * coef if coef < 1.0 else grad
