"""Chapter 1 mental model: a linear map then a ReLU fold makes XOR linearly separable.

Run as ``python figures/ch1_geometry.py OUTPUT_PATH``. Everything is computed: noisy
clusters at the four XOR corners go through h = relu(W x + b) with the classic hand-picked
weights W = [[1, 1], [1, 1]], b = [0, -1] (Goodfellow et al., Deep Learning, section 6.1),
and the last panel draws the line h1 - 2 h2 = 0.5 that separates the classes.
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(out: str) -> None:
    rng = np.random.default_rng(7)
    corners = np.array([[0, 0], [1, 1], [1, 0], [0, 1]], dtype=float)
    labels = np.array([0, 0, 1, 1])  # XOR: class 1 when exactly one input is on
    x = np.repeat(corners, 40, axis=0) + rng.normal(scale=0.06, size=(160, 2))  # (160, 2)
    y = np.repeat(labels, 40)                                                  # (160,)
    W = np.array([[1.0, 1.0], [1.0, 1.0]])
    b = np.array([0.0, -1.0])
    z = x @ W.T + b           # (160, 2) after the linear map
    h = np.maximum(z, 0.0)    # (160, 2) after the ReLU fold

    fig, axes = plt.subplots(1, 3, figsize=(13, 4.3))
    panels = [(x, "1. input space: no straight line\nseparates the classes"),
              (z, "2. after z = W x + b: still linear,\npoints only moved"),
              (h, "3. after ReLU(z): the fold at 0\nmakes one line enough")]
    for ax, (pts, title) in zip(axes, panels, strict=True):
        ax.scatter(pts[y == 0, 0], pts[y == 0, 1], s=14, c="#2c5aa0", label="class 0")
        ax.scatter(pts[y == 1, 0], pts[y == 1, 1], s=14, c="#d07020", marker="^",
                   label="class 1")
        ax.axhline(0, color="#bbbbbb", lw=0.8)
        ax.axvline(0, color="#bbbbbb", lw=0.8)
        ax.set_title(title, fontsize=10)
        ax.set_aspect("equal", adjustable="datalim")
    axes[0].legend(loc="upper center", fontsize=8)
    axes[0].set_xlabel("x1")
    axes[0].set_ylabel("x2")
    axes[1].set_xlabel("z1")
    axes[1].set_ylabel("z2")
    axes[2].set_xlabel("h1")
    axes[2].set_ylabel("h2")
    line_x = np.linspace(-0.2, 2.3, 10)
    axes[2].plot(line_x, (line_x - 0.5) / 2, color="#1e7b3a", lw=2,
                 label="h1 - 2 h2 = 0.5")
    axes[2].legend(loc="upper left", fontsize=8)
    fig.suptitle("Layers bend space so the last layer's job is easy", fontsize=12)
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ch1_geometry.svg")
