"""Chapter 2 mental model: backprop as error flowing backwards, and what depth does to it.

Run as ``python figures/ch2_error_flow.py OUTPUT_PATH``. Left: the forward and backward
passes through a stack of layers, each layer multiplying the incoming gradient by its
local derivative. Right, computed with PyTorch autograd at initialization: the gradient
norm reaching each weight matrix of a 30-layer, 64-unit network, for sigmoid layers with a
naive N(0, 0.01) initialization, tanh with Xavier (Glorot and Bengio, 2010), ReLU with He
initialization (He et al., 2015), and ReLU blocks with residual connections.
"""

from __future__ import annotations

import sys

import matplotlib
import torch

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

DEPTH, WIDTH, BATCH = 30, 64, 256


def layer_grad_norms(kind: str) -> list[float]:
    """Gradient norm of each layer's weight for one backward pass of a random batch."""
    torch.manual_seed(0)
    weights = []
    for _ in range(DEPTH):
        w = torch.empty(WIDTH, WIDTH)
        if kind == "sigmoid, naive init":
            torch.nn.init.normal_(w, std=0.01)
        elif kind == "tanh, Xavier init":
            torch.nn.init.xavier_normal_(w)
        else:
            torch.nn.init.kaiming_normal_(w, nonlinearity="relu")
            if kind == "ReLU + residual":
                w.mul_(0.2)  # small residual branches, a common stabilising choice
        weights.append(w.requires_grad_())
    h = torch.randn(BATCH, WIDTH)                     # (B, W)
    for w in weights:
        z = h @ w                                      # (B, W)
        if kind == "sigmoid, naive init":
            h = torch.sigmoid(z)
        elif kind == "tanh, Xavier init":
            h = torch.tanh(z)
        elif kind == "ReLU, He init":
            h = torch.relu(z)
        else:
            h = h + torch.relu(z)                      # y = x + F(x)
    loss = h.pow(2).mean()
    loss.backward()
    return [w.grad.norm().item() for w in weights]


def draw_flow(ax) -> None:
    names = ["input", "layer 1", "layer 2", "...", "layer N", "loss"]
    xs = [0.6 + 1.55 * i for i in range(len(names))]
    for x, name in zip(xs, names):
        ax.add_patch(FancyBboxPatch((x - 0.55, 1.6), 1.1, 0.8, boxstyle="round,pad=0.04",
                                    fc="#fde2c8" if name == "loss" else "#e3ecfa",
                                    ec="#333333"))
        ax.text(x, 2.0, name, ha="center", va="center", fontsize=9, weight="bold")
    for a, b in zip(xs, xs[1:]):
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
