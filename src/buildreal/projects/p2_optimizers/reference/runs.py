"""Run optimizers over a surface from one start, and summarise how each one did."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .optimizers import OPTIMIZERS, Optimizer
from .schedules import clip_grad_norm
from .surfaces import SURFACES, Surface

DIVERGED_AT = 1e6  # a coordinate or loss past this (or not finite) counts as diverged

# Learning rates per surface, chosen so that each optimizer is reasonably tuned: the
# comparison should show what the update rules do, not which one had the luckier rate.
DEFAULT_LR: dict[str, dict[str, float]] = {
    "rosenbrock": {"sgd": 1e-3, "momentum": 2e-4, "nesterov": 2e-4, "rmsprop": 1e-3,
                   "adam": 2e-2, "adamw": 2e-2},
    "himmelblau": {"sgd": 5e-3, "momentum": 2e-3, "nesterov": 2e-3, "rmsprop": 2e-2,
                   "adam": 5e-2, "adamw": 5e-2},
    "beale": {"sgd": 1e-3, "momentum": 1e-4, "nesterov": 1e-4, "rmsprop": 1e-3,
              "adam": 1e-2, "adamw": 1e-2},
    "saddle": {"sgd": 0.01, "momentum": 0.01, "nesterov": 0.01, "rmsprop": 0.01,
               "adam": 0.01, "adamw": 0.01},
    "ill_conditioned": {"sgd": 0.035, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.01,
                        "adam": 0.05, "adamw": 0.05},
}


@dataclass(frozen=True)
class Run:
    surface: str
    optimizer: str
    lr: float
    path: np.ndarray  # (steps_taken + 1, 2): the start, then one point per step
    losses: np.ndarray  # (steps_taken + 1,): the surface's value along the path
    diverged: bool
    steps_to_tol: int | None  # first step within tol of the surface's minimum
    tol: float

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])

    @property
    def steps(self) -> int:
        return len(self.path) - 1


def run(
    surface: Surface,
    optimizer: Optimizer,
    steps: int,
    seed: int = 0,
    noise: float = 0.0,
    schedule: Callable[[int], float] | None = None,
    clip: float | None = None,
    tol: float = 1e-3,
) -> Run:
    """Take ``steps`` steps from ``surface.start``. ``noise`` adds Gaussian noise of that
    standard deviation to every gradient, drawn from ``seed``, to mimic minibatches; the
    same seed gives the same path, bit for bit."""
    rng = np.random.default_rng(seed)
    base_lr = optimizer.lr
    p = np.array(surface.start, dtype=np.float64)  # (2,)
    path = [p]
    losses = [float(surface.value(p))]
    diverged = False
    for t in range(steps):
        g = surface.gradient(p)
        if noise:
            g = g + rng.normal(0.0, noise, 2)
        if clip is not None:
            g = clip_grad_norm(g, clip)
        if schedule is not None:
            optimizer.lr = schedule(t)
        p = optimizer.step(p, g)
        loss = float(surface.value(p))
        if not np.all(np.isfinite(p)) or not np.isfinite(loss) or np.max(np.abs(p)) > \
                DIVERGED_AT or abs(loss) > DIVERGED_AT:
            diverged = True
            break
        path.append(p)
        losses.append(loss)
    optimizer.lr = base_lr
    losses_arr = np.array(losses)
    close = np.nonzero(losses_arr - surface.minimum < tol)[0]
    return Run(surface.name, optimizer.name, base_lr, np.array(path), losses_arr, diverged,
               int(close[0]) if close.size else None, tol)


def make_schedule(name: str, base_lr: float, steps: int) -> Callable[[int], float] | None:
    """The CLI's schedule names, as step -> lr functions."""
    from . import schedules

    if name == "constant":
        return None
    if name == "step":
        return lambda t: schedules.step_decay(t, base_lr, max(1, steps // 4), 0.5)
    if name == "cosine":
        return lambda t: schedules.cosine(t, base_lr, steps)
    if name == "warmup":
        return lambda t: schedules.linear_warmup(t, base_lr, max(1, steps // 20))
    raise ValueError(f"unknown schedule {name!r}; use constant, step, cosine or warmup")


def compare(
    surface_name: str,
    optimizer_names: Sequence[str],
    steps: int,
    seed: int = 0,
    noise: float = 0.0,
    schedule: str = "constant",
    clip: float | None = None,
    tol: float = 1e-3,
    lr: float | None = None,
) -> list[Run]:
    """One run per optimizer, all from the same start with the same seed."""
    surface = SURFACES[surface_name]
    runs = []
    for name in optimizer_names:
        rate = lr if lr is not None else DEFAULT_LR[surface_name][name]
        opt = OPTIMIZERS[name](lr=rate)
        runs.append(run(surface, opt, steps, seed, noise, make_schedule(schedule, rate, steps),
                        clip, tol))
    return runs


def comparison_rows(runs: Sequence[Run]) -> list[dict[str, object]]:
    return [
        {"optimizer": r.optimizer, "lr": r.lr, "final_loss": r.final_loss,
         "steps_to_tol": r.steps_to_tol, "diverged": r.diverged, "steps": r.steps}
        for r in runs
    ]


def comparison_table(runs: Sequence[Run]) -> str:
    """A Markdown table: final loss, steps to tolerance, divergence."""
    tol = runs[0].tol if runs else 1e-3
    lines = [f"| optimizer | lr | final loss | steps to within {tol:g} | diverged |",
             "|---|---|---|---|---|"]
    for r in runs:
        reached = "never" if r.steps_to_tol is None else str(r.steps_to_tol)
        final = "—" if r.diverged else f"{r.final_loss:.3g}"
        lines.append(f"| {r.optimizer} | {r.lr:g} | {final} | {reached} | "
                     f"{f'yes, at step {r.steps + 1}' if r.diverged else 'no'} |")
    return "\n".join(lines)
