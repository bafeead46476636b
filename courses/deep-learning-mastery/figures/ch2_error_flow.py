"""Chapter 2 mental model: backprop as error flowing backwards, and what depth does to it.

Run as ``python figures/ch2_error_flow.py OUTPUT_PATH``. Left: the forward and backward
passes through a stack of layers, each layer multiplying the incoming gradient by its
local derivative. Right, computed at initialization with a hand-written backward pass
(float32 NumPy, so underflow behaves as in a framework): the gradient norm reaching each
weight matrix of a 30-layer, 64-unit network, for sigmoid layers with a
naive N(0, 0.01) initialization, tanh with Xavier (Glorot and Bengio, 2010), ReLU with He
initialization (He et al., 2015), and ReLU blocks with residual connections.
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

DEPTH, WIDTH, BATCH = 30, 64, 256


def _init(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One (WIDTH, WIDTH) weight matrix with the scheme the kind names."""
    if kind == "sigmoid, naive init":
        std = 0.01
    elif kind == "tanh, Xavier init":
        std = np.sqrt(2.0 / (WIDTH + WIDTH))     # Glorot and Bengio (2010)
    else:
        std = np.sqrt(2.0 / WIDTH)               # He et al. (2015), for ReLU
        if kind == "ReLU + residual":
            std *= 0.2  # small residual branches, a common stabilising choice
    return rng.normal(0.0, std, size=(WIDTH, WIDTH)).astype(np.float32)


def layer_grad_norms(kind: str) -> list[float]:
    """Gradient norm of each layer's weight for one backward pass of a random batch."""
    rng = np.random.default_rng(0)
    weights = [_init(kind, rng) for _ in range(DEPTH)]
    h = rng.normal(size=(BATCH, WIDTH)).astype(np.float32)       # (B, W)
    inputs, pre = [], []
    for w in weights:
        z = h @ w                                                 # (B, W)
        inputs.append(h)
        pre.append(z)
        if kind == "sigmoid, naive init":
            h = 1.0 / (1.0 + np.exp(-z))
        elif kind == "tanh, Xavier init":
            h = np.tanh(z)
        elif kind == "ReLU, He init":
            h = np.maximum(z, 0.0)
        else:
            h = h + np.maximum(z, 0.0)                            # y = x + F(x)
    grad_h = 2.0 * h / h.size                                     # d mean(h^2) / dh
    norms = [0.0] * DEPTH
    for layer in reversed(range(DEPTH)):
        z, h_in, w = pre[layer], inputs[layer], weights[layer]
        if kind == "sigmoid, naive init":
            s = 1.0 / (1.0 + np.exp(-z))
            grad_z = grad_h * s * (1.0 - s)
        elif kind == "tanh, Xavier init":
            grad_z = grad_h * (1.0 - np.tanh(z) ** 2)
        else:
            grad_z = grad_h * (z > 0)
        norms[layer] = float(np.linalg.norm(h_in.T @ grad_z))    # dL/dW, shape (W, W)
        grad_in = grad_z @ w.T                                    # (B, W)
        grad_h = grad_h + grad_in if kind == "ReLU + residual" else grad_in
    return norms


def draw_flow(ax) -> None:
    names = ["input", "layer 1", "layer 2", "...", "layer N", "loss"]
    xs = [0.6 + 1.55 * i for i in range(len(names))]
    for x, name in zip(xs, names, strict=True):
        ax.add_patch(FancyBboxPatch((x - 0.55, 1.6), 1.1, 0.8, boxstyle="round,pad=0.04",
                                    fc="#fde2c8" if name == "loss" else "#e3ecfa",
                                    ec="#333333"))
        ax.text(x, 2.0, name, ha="center", va="center", fontsize=9, weight="bold")
    for a, b in zip(xs[:-1], xs[1:], strict=True):
        ax.add_patch(FancyArrowPatch((a + 0.58, 2.25), (b - 0.58, 2.25), arrowstyle="-|>",
                                     mutation_scale=11, color="#333333"))
        ax.add_patch(FancyArrowPatch((b - 0.58, 1.75), (a + 0.58, 1.75), arrowstyle="-|>",
                                     mutation_scale=11, color="#b03030"))
    ax.text(xs[2], 3.0, "forward: values, cached for later", ha="center", fontsize=9)
    ax.text(xs[2], 0.95, "backward: dL/d(input) = dL/d(output) x local derivative",
            ha="center", fontsize=9, color="#b03030")
    ax.text(xs[2], 0.45, "each parameter's gradient is read off on the way past",
            ha="center", fontsize=8.5, color="#555555")
    ax.set_xlim(-0.2, xs[-1] + 0.8)
    ax.set_ylim(0.1, 3.4)
    ax.axis("off")
    ax.set_title("Backpropagation: error flows from the loss to every layer", fontsize=10.5)


def main(out: str) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.6),
                                      gridspec_kw={"width_ratios": [1.25, 1]})
    draw_flow(left)
    styles = {"sigmoid, naive init": "#b03030", "tanh, Xavier init": "#d07020",
              "ReLU, He init": "#2c5aa0", "ReLU + residual": "#1e7b3a"}
    for kind, colour in styles.items():
        norms = layer_grad_norms(kind)
        right.semilogy(range(1, DEPTH + 1), norms, marker="o", ms=3, color=colour,
                       label=kind)
    right.set_xlabel("layer (1 = nearest the input)")
    right.set_ylabel("gradient norm of the layer's weights")
    right.set_title("Measured at initialization: 30 layers of 64 units", fontsize=10.5)
    right.legend(fontsize=8)
    right.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ch2_error_flow.svg")
