"""Figure for Module 3, lesson 2: where the parameters of a small digit classifier live.

Why: counting parameters by hand is a skill, and seeing that one weight matrix holds
almost all of them shows why the first layer on wide inputs dominates a model's size.
The counts come from a real nn.Module, so the figure matches the lesson's printed output.

Usage: python m3_parameter_counts.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from torch import nn  # noqa: E402


def main(out_path: str) -> None:
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    names = {"0.weight": "hidden weight (128 × 784)", "0.bias": "hidden bias (128)",
             "2.weight": "output weight (10 × 128)", "2.bias": "output bias (10)"}
    rows = [(names[n], p.numel()) for n, p in model.named_parameters()]
    total = sum(count for _, count in rows)

    fig, ax = plt.subplots(figsize=(8, 3))
    labels = [label for label, _ in rows][::-1]
    counts = [count for _, count in rows][::-1]
    bars = ax.barh(labels, counts, color=["#9ecae1", "#3182bd", "#9ecae1", "#3182bd"])
    for bar, count in zip(bars, counts, strict=True):
        ax.text(bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2,
                f"{count:,} ({count / total:.2%})", va="center", fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(5, 2e6)
    ax.set_xlabel("parameters (log scale)")
    ax.set_title(f"784 → 128 → 10 classifier: {total:,} parameters in four tensors")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
