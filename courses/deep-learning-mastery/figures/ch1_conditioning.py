"""Chapter 1, curvature and conditioning: the same gradient descent on two bowls.

Run as ``python figures/ch1_conditioning.py OUTPUT_PATH``. Both losses are quadratics
L = 0.5 * (a * x^2 + y^2), one round (a = 1) and one elongated (a = 25, condition number
25). Each run uses the largest safe learning rate for its steepest direction (0.9 * 2/a)
and starts from the same point; the paths and the loss curves are computed, not drawn.
The elongated bowl forces a step that is tiny along the flat direction, so progress
crawls: the condition number limits plain gradient descent.
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STEPS = 60
START = np.array([1.6, 1.8])


def descend(curvature: np.ndarray, lr: float) -> np.ndarray:
    """The path of plain gradient descent, (STEPS + 1, 2)."""
    path = [START.copy()]
    theta = START.copy()
    for _ in range(STEPS):
        theta = theta - lr * curvature * theta        # gradient of 0.5 * sum(c * theta^2)
        path.append(theta.copy())
    return np.array(path)


def main(out: str) -> None:
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    grid = np.linspace(-2, 2, 200)
    X, Y = np.meshgrid(grid, grid)
    runs = []
    for ax, a in zip(axes[:2], (1.0, 25.0), strict=True):
        curvature = np.array([a, 1.0])
        lr = 0.9 * 2 / a                               # just inside the stability limit
        path = descend(curvature, lr)
        loss = 0.5 * (curvature * path ** 2).sum(axis=1)
        runs.append((a, loss))
        ax.contour(X, Y, 0.5 * (a * X ** 2 + Y ** 2), levels=14, colors="#b8c4d6",
                   linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "o-", ms=3, color="#b03030", lw=1.2)
        ax.plot(0, 0, "k*", ms=10)
        ax.set_aspect("equal")
        ax.set_title(f"condition number {a:g}, learning rate {lr:.3f}", fontsize=10.5,
                     weight="bold")
        ax.set_xlabel("steep direction x" if a > 1 else "x")
        ax.set_ylabel("flat direction y" if a > 1 else "y")
    ax = axes[2]
    for a, loss in runs:
        ax.semilogy(loss, label=f"condition number {a:g}")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)")
    ax.set_title("Loss per step, same number of steps", fontsize=10.5, weight="bold")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1])
