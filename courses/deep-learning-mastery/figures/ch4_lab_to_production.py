"""Chapter 4 mental model: from the lab to production, and what monitoring looks at.

Run as ``python figures/ch4_lab_to_production.py OUTPUT_PATH``. Left: the lifecycle
(train, validate, test once, deploy, monitor, retrain) as a loop with the checks that
gate each hand-over. Right, computed: a feature's distribution at training time against
production after a shift, with the population stability index (PSI) a monitor would
alert on (rule of thumb: below 0.1 stable, above 0.25 act).
"""

from __future__ import annotations

import math
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

STAGES = [
    ("Train", "fit parameters"),
    ("Validate", "choose settings,\nstop early"),
    ("Test once", "report one\nuntuned number"),
    ("Deploy", "meet latency,\ncost, SLOs"),
    ("Monitor", "drift, errors,\nlatency, feedback"),
    ("Retrain", "fresh data,\nsame pipeline"),
]


def psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    edges = np.quantile(reference, np.linspace(0, 1, bins + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    ref = np.histogram(reference, edges)[0] / len(reference) + 1e-6
    cur = np.histogram(current, edges)[0] / len(current) + 1e-6
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def draw_loop(ax) -> None:
    n, radius = len(STAGES), 2.3
    centres = []
    for i, (name, note) in enumerate(STAGES):
        angle = math.pi / 2 - 2 * math.pi * i / n
        x, y = radius * math.cos(angle), radius * math.sin(angle)
        centres.append((x, y))
        ax.add_patch(FancyBboxPatch((x - 0.75, y - 0.42), 1.5, 0.84,
                                    boxstyle="round,pad=0.04", ec="#333333",
                                    fc="#f6dbe8" if name in ("Deploy", "Monitor") else "#e3ecfa"))
        ax.text(x, y + 0.14, name, ha="center", va="center", fontsize=10, weight="bold")
        ax.text(x, y - 0.17, note, ha="center", va="center", fontsize=7, color="#444444")
    for i in range(n):
        (x0, y0), (x1, y1) = centres[i], centres[(i + 1) % n]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        start = (x0 + dx * 0.75 / length, y0 + dy * 0.75 / length)
        end = (x1 - dx * 0.75 / length, y1 - dy * 0.75 / length)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14,
                                     color="#333333", lw=1.4))
    ax.text(0, 0.2, "one versioned\npipeline", ha="center", va="center", fontsize=10,
            color="#2c5aa0")
    ax.text(0, -0.55, "same preprocessing in\ntraining and serving", ha="center",
            va="center", fontsize=8, color="#1e7b3a")
    ax.set_xlim(-3.4, 3.4)
    ax.set_ylim(-3.2, 3.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("The lifecycle is a loop, not a line", fontsize=11)


def main(out: str) -> None:
    rng = np.random.default_rng(11)
    reference = rng.normal(0.0, 1.0, 20_000)   # a feature at training time
    drifted = rng.normal(0.6, 1.2, 20_000)     # the same feature months later
    value = psi(reference, drifted)

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2),
                                      gridspec_kw={"width_ratios": [1, 1.1]})
    draw_loop(left)
    bins = np.linspace(-4.5, 5.5, 60)
    right.hist(reference, bins=bins, density=True, alpha=0.55, color="#2c5aa0",
               label="training-time reference")
    right.hist(drifted, bins=bins, density=True, alpha=0.55, color="#b03030",
               label="production, later")
    right.set_xlabel("feature value")
    right.set_ylabel("density")
    right.set_title(f"Data drift a monitor should catch: PSI = {value:.2f} (> 0.25: act)",
                    fontsize=11)
    right.legend(fontsize=9)
    right.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ch4_lab_to_production.svg")
