"""The fixed experiments behind Project 2's checks, shared by probes and judges: which
update rules are run with which settings, on which gradients, from which start."""

from __future__ import annotations

from typing import Any

import numpy as np

STEPS = 1000
SCHEDULE_STEPS = 120
P0 = np.array([1.5, -1.0])  # every rule starts here
CURVATURE = np.array([1.0, 10.0])  # the gradient source: f = ½ Σ c_i p_i², plus noise

# key -> (class name in the learner's optimizers.py, its keyword arguments). eps is larger
# than the default so that where eps sits (inside or outside the root) shows; the *_wd
# cases give weight decay a size that moves the path far beyond the tolerance.
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "sgd": ("SGD", {"lr": 0.05}),
    "momentum": ("Momentum", {"lr": 0.02, "momentum": 0.9}),
    "nesterov": ("Nesterov", {"lr": 0.02, "momentum": 0.9}),
    "rmsprop": ("RMSprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-4}),
    "adam": ("Adam", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-4}),
    "adamw": ("AdamW", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-4, "weight_decay": 0.1}),
    "sgd_wd": ("SGD", {"lr": 0.05, "weight_decay": 0.3}),
    "adam_wd": ("Adam", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-4, "weight_decay": 0.3}),
    "adamw_wd": ("AdamW", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-4,
                           "weight_decay": 0.5}),
}
RULES = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw")
DECAY = ("sgd_wd", "adam_wd", "adamw_wd")

CLIP_CASES = ((np.array([30.0, -40.0]), 5.0), (np.array([0.3, 0.4]), 5.0),
              (np.array([3.0, 4.0]), 5.0))
SURFACE_NAMES = ("rosenbrock", "himmelblau", "beale", "saddle", "ill_conditioned")
SURFACE_POINTS = np.random.default_rng(5).uniform(-2.0, 2.0, (6, 2))


def gradient_noise(steps: int) -> np.ndarray:
    return np.random.default_rng(2024).normal(0.0, 0.1, (steps, 2))  # (steps, 2)

# run() with every option on: noisy gradients, a clip that acts (Rosenbrock's gradient at
# the start is far above 5) and a schedule, so each must be applied, and at the right step.
RUN_OPTIONS: dict[str, Any] = {"steps": 60, "seed": 1, "noise": 0.3, "clip": 5.0}
RUN_LR = 0.01


def run_schedule(t: int) -> float:
    """The schedule passed to run(): a decay that differs at every step."""
    return 0.02 * 0.97**t
