"""Chapter 3 mental model: four architectures as four wiring patterns (inductive biases).

Run as ``python figures/ch3_biases.py OUTPUT_PATH``. Each panel connects a row of inputs
to a row of outputs the way the architecture does: dense (every pair, every weight its
own), convolution (neighbours only, the same three weights reused, shown by colour),
recurrence (a chain through a hidden state) and self-attention (every pair, with weights
computed from the data; line width is a softmax of random query-key scores).
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

N = 6


def nodes(ax, y: float, colour: str, label: str) -> None:
    ax.scatter(range(N), [y] * N, s=180, c=colour, edgecolors="#333333", zorder=3)
    ax.text(-0.9, y, label, ha="right", va="center", fontsize=8.5)


def finish(ax, title: str, note: str) -> None:
    ax.set_title(title, fontsize=10.5, weight="bold")
    ax.text(2.5, -0.75, note, ha="center", va="top", fontsize=8.5, color="#333333")
    ax.set_xlim(-2.6, N)
    ax.set_ylim(-1.6, 1.45)
    ax.axis("off")


def main(out: str) -> None:
    rng = np.random.default_rng(3)
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.2))

    ax = axes[0]  # dense: all pairs, independent weights
    for i in range(N):
        for j in range(N):
            ax.plot([i, j], [0, 1], color=plt.cm.viridis(rng.random()), lw=1, alpha=0.8)
    nodes(ax, 0, "#e3ecfa", "inputs")
    nodes(ax, 1, "#dff3e4", "outputs")
    finish(ax, "Dense (MLP)", "every input meets every output;\nno assumption, most parameters")

    ax = axes[1]  # convolution: local window, shared weights
    shared = ["#b03030", "#2c5aa0", "#1e7b3a"]
    for j in range(N):
        for k, offset in enumerate((-1, 0, 1)):
            i = j + offset
            if 0 <= i < N:
                ax.plot([i, j], [0, 1], color=shared[k], lw=2)
    nodes(ax, 0, "#e3ecfa", "pixels")
    nodes(ax, 1, "#dff3e4", "features")
    finish(ax, "Convolution (CNN)",
           "neighbours only, same 3 weights\neverywhere: locality + equivariance")

    ax = axes[2]  # recurrence: chain through hidden state
    for t in range(N):
        ax.annotate("", xy=(t, 0.92), xytext=(t, 0.08),
                    arrowprops=dict(arrowstyle="-|>", color="#555555"))
        if t < N - 1:
            ax.annotate("", xy=(t + 0.82, 1), xytext=(t + 0.18, 1),
                        arrowprops=dict(arrowstyle="-|>", color="#b03030", lw=2))
    nodes(ax, 0, "#e3ecfa", "tokens")
    nodes(ax, 1, "#fde2c8", "hidden\nstate")
    finish(ax, "Recurrence (RNN)",
           "one step at a time; the past is\nsqueezed into one hidden vector")

    ax = axes[3]  # attention: all pairs, weights from the data
    q, k = rng.normal(size=(N, 4)), rng.normal(size=(N, 4))
    scores = q @ k.T / 2.0                                   # (N, N), scaled by sqrt(4)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)            # each row sums to 1
    for j in range(N):
        for i in range(N):
            ax.plot([i, j], [0, 1], color="#7a3fa0", lw=0.3 + 5 * weights[j, i],
                    alpha=0.35 + 0.65 * weights[j, i])
    nodes(ax, 0, "#e3ecfa", "tokens")
    nodes(ax, 1, "#dff3e4", "outputs")
    finish(ax, "Self-attention (transformer)",
           "every pair, weighted by content;\ncost grows with length squared")

    fig.suptitle("Architectures are wiring diagrams: the wiring is the assumption",
                 fontsize=12)
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ch3_biases.svg")
