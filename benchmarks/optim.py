"""Cost of one optimizer step: the playground's NumPy update rules against torch.optim,
on the same parameters and gradients.

    nice -n 10 .venv/bin/python benchmarks/optim.py [--repeats 7]

Two sizes: 2 parameters (the playground's case, where per-call overhead is everything)
and 1,000,000 (where the arithmetic dominates). The ratio is torch's time over ours:
above 1.00 means the NumPy rule is faster.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from buildreal.projects.p2_optimizers.reference import OPTIMIZERS  # noqa: E402

TORCH: dict[str, Callable[[list[Any]], Any]] = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.01),
    "momentum": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9),
    "nesterov": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01),
}


def timed(steps: dict[str, Callable[[], None]], repeats: int,
          budget_s: float = 0.2) -> dict[str, float]:
    """Median time per step; the contenders alternate batch by batch so that load from
    other processes lands on both."""
    per_batch = {}
    for name, step in steps.items():
        for _ in range(3):
            step()
        start = time.perf_counter()
        step()
        per_batch[name] = max(1, int(budget_s / max(time.perf_counter() - start, 1e-7)))
    samples: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            start = time.perf_counter()
            for _ in range(per_batch[name]):
                step()
            samples[name].append((time.perf_counter() - start) / per_batch[name])
    return {name: statistics.median(t) for name, t in samples.items()}


def ours_step(name: str, size: int) -> Callable[[], None]:
    opt = OPTIMIZERS[name](lr=0.01)
    state = {"p": np.random.default_rng(0).normal(size=size)}
    grad = np.random.default_rng(1).normal(size=size)

    def step() -> None:
        state["p"] = opt.step(state["p"], grad)

    return step


def torch_step(name: str, size: int) -> Callable[[], None]:
    p = torch.tensor(np.random.default_rng(0).normal(size=size), requires_grad=True)
    p.grad = torch.tensor(np.random.default_rng(1).normal(size=size))
    opt = TORCH[name]([p])
    return opt.step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"one optimizer step, float64, median of {args.repeats}; torch {torch.__version__}, "
          "1 thread; ratio = torch / buildreal")
    for size in (2, 1_000_000):
        print(f"\n{size:,} parameters")
        for name in OPTIMIZERS:
            times = timed({"ours": ours_step(name, size), "torch": torch_step(name, size)},
                          args.repeats)
            ours, theirs = times["ours"], times["torch"]
            print(f"  {name:9s} buildreal {ours * 1e6:9.1f} µs   torch.optim "
                  f"{theirs * 1e6:9.1f} µs   ratio {theirs / ours:5.2f}")


if __name__ == "__main__":
    main()
