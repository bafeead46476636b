"""The training loop as a mental model (orientation, "the mental model").

Run as ``python figures/learning_loop.py OUTPUT_PATH``. Six stages on a ring, each with
what it controls (inside) and its typical failure (outside, in red), so a learner can
walk the loop when a run misbehaves.
"""

from __future__ import annotations

import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch  # noqa: E402

STAGES = [
    ("Raw data", "sets the ceiling", "label noise,\nleakage"),
    ("Encoding", "world -> tensors", "wrong normalisation,\nshape mix-ups"),
    ("Model", "which functions\nare easy to reach", "bias that does not\nmatch the data"),
    ("Loss", "what 'good' means", "optimising the\nwrong objective"),
    ("Gradient", "direction to move", "vanishing or\nexploding"),
    ("Update", "step size, memory", "divergence, stalls,\nmemorisation"),
]


def main(out: str) -> None:
    fig, ax = plt.subplots(figsize=(8.5, 8.0))
    radius = 3.0
    n = len(STAGES)
    points = []
    for i, (name, role, failure) in enumerate(STAGES):
        angle = math.pi / 2 - 2 * math.pi * i / n  # clockwise from the top
        x, y = radius * math.cos(angle), radius * math.sin(angle)
        points.append((x, y))
        ax.add_patch(Circle((x, y), 0.82, fc="#e3ecfa", ec="#2c5aa0", lw=1.5))
        ax.text(x, y + 0.18, name, ha="center", va="center", fontsize=11, weight="bold")
        ax.text(x, y - 0.3, role, ha="center", va="center", fontsize=7.5, color="#333333")
        ox, oy = (radius + 1.75) * math.cos(angle), (radius + 1.75) * math.sin(angle)
        ax.text(ox, oy, failure, ha="center", va="center", fontsize=8, color="#b03030",
                style="italic")
    for i in range(n):
        (x0, y0), (x1, y1) = points[i], points[(i + 1) % n]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        shrink = 0.9 / length
        start = (x0 + dx * shrink, y0 + dy * shrink)
        end = (x1 - dx * shrink, y1 - dy * shrink)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16,
                                     lw=1.6, color="#333333", connectionstyle="arc3,rad=-0.15"))
    ax.text(0, 0.25, "repeat", ha="center", va="center", fontsize=14, color="#2c5aa0")
    ax.text(0, -0.35, "validation data tells\nlearning from memorising", ha="center",
            va="center", fontsize=8.5, color="#1e7b3a")
    ax.text(0, -5.55, "inside: what each stage controls    red: how it typically fails",
            ha="center", fontsize=8.5, color="#555555")
    ax.set_xlim(-5.8, 5.8)
    ax.set_ylim(-5.9, 5.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("The learning loop, and where each stage goes wrong", fontsize=12)
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "learning_loop.svg")
