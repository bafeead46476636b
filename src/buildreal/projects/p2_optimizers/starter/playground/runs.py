"""Run one optimizer over one surface, race several, and tabulate the result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .optimizers import OPTIMIZERS, Optimizer
from .surfaces import Surface

# Learning rates that suit each surface; tune them and explain what you find in NOTES.md.
DEFAULT_LR: dict[str, dict[str, float]] = {
    "rosenbrock": {"sgd": 1e-3, "momentum": 2e-4, "nesterov": 2e-4, "rmsprop": 1e-3,
                   "adam": 2e-2, "adamw": 2e-2},
    "himmelblau": {"sgd": 5e-3, "momentum": 2e-3, "nesterov": 2e-3, "rmsprop": 2e-2,
                   "adam": 5e-2, "adamw": 5e-2},
    "beale": {"sgd": 1e-3, "momentum": 1e-4, "nesterov": 1e-4, "rmsprop": 1e-3,
              "adam": 1e-2, "adamw": 1e-2},
    "saddle": {name: 0.01 for name in OPTIMIZERS},
    "ill_conditioned": {"sgd": 0.035, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.01,
                        "adam": 0.05, "adamw": 0.05},
}


@dataclass(frozen=True)
class Run:
    surface: str
    optimizer: str
    lr: float
    path: np.ndarray  # (steps_taken + 1, 2): the start, then the point after each step
    losses: np.ndarray  # (steps_taken + 1,): the surface's value at each point of the path
    diverged: bool  # stopped early because a value became inf/NaN or passed 1e6
    steps_to_tol: int | None  # first index where losses - surface.minimum < tol
    tol: float

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def run(surface: Surface, optimizer: Optimizer, steps: int, seed: int = 0,
        noise: float = 0.0, schedule: Callable[[int], float] | None = None,
        clip: float | None = None, tol: float = 1e-3) -> Run:
    """Start at surface.start and take `steps` steps. Add Gaussian noise with std `noise`
    to each gradient, drawn from np.random.default_rng(seed), so a seed fixes the run.
    Apply `clip` (max gradient norm) and `schedule` (step -> lr) when given. Stop early and
    mark the run diverged when a coordinate or the loss is not finite or passes 1e6."""
    raise NotImplementedError("TODO: run")


def compare(surface_name: str, optimizer_names: Sequence[str], steps: int, seed: int = 0,
            noise: float = 0.0) -> list[Run]:
    """One run per optimizer on one surface: same start, same seed, DEFAULT_LR rates."""
    raise NotImplementedError("TODO: compare")


def comparison_table(runs: Sequence[Run]) -> str:
    """A Markdown table with one row per run: optimizer, final loss, steps to tolerance
    (or 'never'), and whether it diverged."""
    raise NotImplementedError("TODO: comparison_table")
