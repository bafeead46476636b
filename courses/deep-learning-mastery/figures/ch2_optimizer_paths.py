"""Chapter 2, optimizers on a narrow valley: SGD, momentum and Adam from the same start.

Run as ``python figures/ch2_optimizer_paths.py OUTPUT_PATH``. The loss is an elongated
quadratic (curvatures 100 and 1, condition number 100) rotated by 30 degrees, so no
single coordinate lines up with the valley. Each optimizer is torch.optim's own
implementation, run for 80 steps from the same point with the learning rate, from a grid
of 25, whose last ten losses are lowest on average (in log scale); the paths and the
loss curves are what the optimizers actually did.
"""

from __future__ import annotations

import math
import sys

import matplotlib
import numpy as np
import torch

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STEPS = 80
ANGLE = math.radians(30)
ROTATE = torch.tensor([[math.cos(ANGLE), -math.sin(ANGLE)],
                       [math.sin(ANGLE), math.cos(ANGLE)]])
CURVATURE = torch.tensor([100.0, 1.0])


def loss_fn(theta: torch.Tensor) -> torch.Tensor:
    u = ROTATE.T @ theta                                  # (2,) coordinates along the axes
    return 0.5 * (CURVATURE * u ** 2).sum()


def run(make_optimizer) -> tuple[np.ndarray, np.ndarray]:
    theta = torch.tensor([-1.8, 1.2], requires_grad=True)
    opt = make_optimizer([theta])
    path, losses = [theta.detach().clone().numpy()], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(theta)
        losses.append(loss.item())
        loss.backward()
        opt.step()
        path.append(theta.detach().clone().numpy())
    return np.array(path), np.array(losses)


def best(make, grid: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The learning rate from ``grid`` with the lowest loss at the end, and its run."""
    results = []
    for lr in grid:
        path, losses = run(lambda p, lr=lr: make(p, float(lr)))
        if np.isfinite(losses).all():
            score = float(np.log(np.maximum(losses[-10:], 1e-30)).mean())
            results.append((score, float(lr), path, losses))
    _final, lr, path, losses = min(results, key=lambda r: r[0])
    return lr, path, losses


def main(out: str) -> None:
    grid = np.geomspace(0.003, 1.0, 25)
    makers = {
        "SGD": lambda p, lr: torch.optim.SGD(p, lr=lr),
        "SGD + momentum 0.8": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.8),
        "Adam": lambda p, lr: torch.optim.Adam(p, lr=lr),
    }
    colours = ["#b03030", "#2c5aa0", "#1e7b3a"]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(13, 5))
    axis = np.linspace(-2.2, 2.2, 220)
    X, Y = np.meshgrid(axis, axis)
    points = torch.tensor(np.stack([X.ravel(), Y.ravel()]), dtype=torch.float32)  # (2, M)
    u = ROTATE.T @ points
    Z = (0.5 * (CURVATURE[:, None] * u ** 2).sum(dim=0)).reshape(X.shape).numpy()
    ax.contour(X, Y, Z, levels=np.geomspace(0.02, 250, 16), colors="#c3ccd9", linewidths=0.8)
    for (name, make), colour in zip(makers.items(), colours, strict=True):
        lr, path, losses = best(make, grid)
        name = f"{name}, best lr {lr:.3g}"
        ax.plot(path[:, 0], path[:, 1], "o-", ms=2.5, lw=1.2, color=colour, label=name)
        ax2.semilogy(losses, color=colour, label=name)
    ax.plot(0, 0, "k*", ms=11)
    ax.set_aspect("equal")
    ax.set_title("Paths on a narrow, tilted valley (80 steps)", fontsize=10.5, weight="bold")
    ax.legend(fontsize=8.5, loc="lower right")
    ax2.set_xlabel("step")
    ax2.set_ylabel("loss (log scale)")
    ax2.set_title("Loss per step", fontsize=10.5, weight="bold")
    ax2.legend(fontsize=8.5)
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1])
