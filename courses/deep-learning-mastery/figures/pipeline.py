"""The data-to-deployment pipeline, with its feedback paths (orientation, "the big picture").

Run as ``python figures/pipeline.py OUTPUT_PATH``; writes an SVG (or PNG, by suffix).
Drawn rather than plotted: boxes for stages, solid arrows for the forward path and dashed
arrows for the return trips that real projects spend most of their time on.
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

STAGES = [
    ("Raw data", "collect, clean,\nlabel, split"),
    ("Tensors", "encode as arrays\nwith explicit shapes"),
    ("Model", "architecture =\nassumptions"),
    ("Loss +\noptimizer", "what 'good' means,\nhow to improve"),
    ("Training\nloop", "forward, backward,\nupdate, repeat"),
    ("Evaluation", "held-out data,\nhonest metrics"),
    ("Deployment", "serve, watch\nlatency and drift"),
]


def box(ax, x: float, y: float, title: str, note: str, colour: str) -> None:
    ax.add_patch(FancyBboxPatch((x - 0.8, y - 0.45), 1.6, 0.9,
                                boxstyle="round,pad=0.05", fc=colour, ec="#333333", lw=1.2))
    ax.text(x, y + 0.12, title, ha="center", va="center", fontsize=10, weight="bold")
    ax.text(x, y - 0.72, note, ha="center", va="top", fontsize=7.5, color="#444444")


def arrow(ax, start: tuple[float, float], end: tuple[float, float], *, dashed: bool = False,
          rad: float = 0.0, colour: str = "#333333") -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=1.4,
                                 color=colour, linestyle="--" if dashed else "-",
                                 connectionstyle=f"arc3,rad={rad}"))


def main(out: str) -> None:
    fig, ax = plt.subplots(figsize=(13, 4.6))
    xs = [1.0 + 2.1 * i for i in range(len(STAGES))]
    colours = ["#fde2c8", "#e3ecfa", "#e3ecfa", "#e3ecfa", "#e3ecfa", "#dff3e4", "#f6dbe8"]
    for x, (title, note), colour in zip(xs, STAGES, colours, strict=True):
        box(ax, x, 2.0, title, note, colour)
    for left, right in zip(xs[:-1], xs[1:], strict=True):
        arrow(ax, (left + 0.85, 2.0), (right - 0.85, 2.0))
    # Return trips: evaluation back to data, deployment (monitoring) back to training,
    # and the inner loop of training back through loss and model.
    red = "#b03030"
    arrow(ax, (xs[5], 2.5), (xs[0], 2.5), dashed=True, rad=0.25, colour=red)
    ax.text((xs[0] + xs[5]) / 2, 3.95,
            "evaluation finds leakage, label noise, missing cases: fix the data",
            ha="center", fontsize=8.5, color=red)
    arrow(ax, (xs[6], 0.95), (xs[4], 0.95), dashed=True, rad=-0.3, colour=red)
    ax.text((xs[4] + xs[6]) / 2, -0.35, "monitoring sees drift:\nretrain on fresh data",
            ha="center", fontsize=8.5, color=red)
    arrow(ax, (xs[4], 2.5), (xs[2], 2.5), dashed=True, rad=0.3, colour="#2c5aa0")
    ax.text(xs[3], 3.2, "gradients", ha="center", fontsize=8, color="#2c5aa0")
    ax.set_xlim(-0.1, xs[-1] + 1.1)
    ax.set_ylim(-0.5, 4.3)
    ax.axis("off")
    ax.set_title("From raw data to a monitored deployment", fontsize=12)
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "pipeline.svg")
