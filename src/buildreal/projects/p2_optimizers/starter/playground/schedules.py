"""Learning-rate schedules (t counts steps from 0) and gradient-norm clipping."""

from __future__ import annotations

import numpy as np


def step_decay(t: int, base_lr: float, step_size: int, gamma: float = 0.5) -> float:
    """base_lr multiplied by gamma once every step_size steps (torch's StepLR)."""
    raise NotImplementedError("TODO: step_decay")


def cosine(t: int, base_lr: float, total_steps: int, min_lr: float = 0.0) -> float:
    """Half a cosine from base_lr (t = 0) down to min_lr (t = total_steps)."""
    raise NotImplementedError("TODO: cosine")


def linear_warmup(t: int, base_lr: float, warmup_steps: int) -> float:
    """base_lr·(t+1)/warmup_steps until it reaches base_lr, then base_lr."""
    raise NotImplementedError("TODO: linear_warmup")


def clip_grad_norm(grad: np.ndarray, max_norm: float) -> np.ndarray:
    """Scale grad by max_norm / (‖grad‖ + 1e-6) when that factor is below 1 (torch's
    clip_grad_norm_); otherwise return it unchanged."""
    raise NotImplementedError("TODO: clip_grad_norm")
