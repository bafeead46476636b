"""The final project's architecture: what trains, what serves, what watches, and the
retraining loop that closes the circle.

Run as ``python figures/final_architecture.py OUTPUT_PATH``; writes an SVG (or PNG, by
suffix). Colours name the project each part comes from (3, 5, 6, 10); solid arrows are
the request path, dashed red arrows the monitoring and retraining loop.
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch  # noqa: E402

COLOURS = {"P3": "#e3ecfa", "P5": "#fde2c8", "P6": "#dff3e4", "P10": "#f6dbe8",
           "new": "#eeeeee"}
# name: (x, y, title, note, project)
BOXES = {
    "data": (1.0, 4.2, "Fashion-MNIST", "train / reference /\nholdout / catalogue", "new"),
    "train": (3.6, 4.2, "Backbone training", "CNN, seeded; DDP\nunder torchrun", "P3"),
    "mlflow": (1.6, 2.3, "MLflow file store", "seed, data version,\nmetrics, hashes", "new"),
    "onnx": (6.2, 4.2, "ONNX export", "eval mode; parity\n< 1e-4 on known images", "P10"),
    "service": (8.8, 4.2, "FastAPI service", "uvicorn workers;\n/predict /similar /search",
                "P10"),
    "faiss": (11.4, 5.6, "Image index", "FAISS over backbone\nembeddings", "P6"),
    "text": (11.4, 4.2, "Text index", "encoder over\ntag descriptions", "P6"),
    "mt": (11.4, 2.8, "Translator", "es->en query,\nen->es answers", "P5"),
    "prom": (8.8, 6.0, "/metrics", "Prometheus,\nmultiprocess mode", "P10"),
    "drift": (8.8, 1.6, "Drift monitor", "PSI + KS on image\nfeatures, class mix", "P10"),
    "hook": (6.2, 0.4, "Retraining hook", "candidate vs serving\non fixed holdout", "new"),
}


def box(ax, x: float, y: float, title: str, note: str, colour: str) -> None:
    ax.add_patch(FancyBboxPatch((x - 1.0, y - 0.42), 2.0, 0.84,
                                boxstyle="round,pad=0.05", fc=colour, ec="#333333", lw=1.1))
    ax.text(x, y + 0.17, title, ha="center", va="center", fontsize=9.5, weight="bold")
    ax.text(x, y - 0.16, note, ha="center", va="center", fontsize=7, color="#444444")


def edge(x: float, y: float, dx: float, dy: float) -> tuple[float, float]:
    """Where the ray from a box's centre along (dx, dy) leaves the box."""
    t = min(1.08 / abs(dx) if dx else float("inf"), 0.5 / abs(dy) if dy else float("inf"))
    return x + t * dx, y + t * dy


def arrow(ax, a: str, b: str, *, dashed: bool = False, rad: float = 0.0,
          label: str = "", offset: tuple[float, float] = (0.0, 0.18)) -> None:
    (x0, y0), (x1, y1) = BOXES[a][:2], BOXES[b][:2]
    start, end = edge(x0, y0, x1 - x0, y1 - y0), edge(x1, y1, x0 - x1, y0 - y1)
    colour = "#b03030" if dashed else "#333333"
    patch = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=13,
                            lw=1.3, color=colour, linestyle="--" if dashed else "-",
                            connectionstyle=f"arc3,rad={rad}")
    ax.add_patch(patch)
    if label:
        ax.text((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1],
                label, ha="center", fontsize=7.5, color=colour)


def main(out: str) -> None:
    fig, ax = plt.subplots(figsize=(13, 7))
    for x, y, title, note, project in BOXES.values():
        box(ax, x, y, title, note, COLOURS[project])
    for a, b in (("data", "train"), ("train", "onnx"), ("onnx", "service"),
                 ("service", "faiss"), ("service", "text"), ("service", "mt"),
                 ("service", "prom")):
        arrow(ax, a, b)
    arrow(ax, "train", "mlflow", label="every run", offset=(0.55, 0.0))
    arrow(ax, "service", "drift", dashed=True, label="every request", offset=(0.55, 0.0))
    arrow(ax, "drift", "hook", dashed=True, label="3 drifted windows in a row",
          offset=(1.1, -0.3))
    arrow(ax, "hook", "train", dashed=True, rad=-0.25, label="recent + reference data",
          offset=(-0.75, -0.3))
    arrow(ax, "hook", "onnx", dashed=True, label="promote if better", offset=(0.6, 0.0))
    ax.legend(handles=[Patch(fc=c, ec="#333333", label=f"from {p}" if p != "new" else
                             "new in this project") for p, c in COLOURS.items()],
              loc="lower right", fontsize=8, frameon=False)
    ax.set_xlim(-0.2, 12.8)
    ax.set_ylim(-0.4, 6.8)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1])
