"""Contour plots of a surface with every optimizer's path drawn on it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .runs import Run
from .surfaces import Surface


def plot_paths(surface: Surface, runs: Sequence[Run], out_stem: Path) -> list[Path]:
    """Write ``out_stem.png`` and ``out_stem.svg``; returns both paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (x0, x1), (y0, y1) = surface.bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    z = surface.value(np.stack([gx, gy], axis=-1))  # (200, 200)
    # Log-spaced levels above the minimum: valleys and plateaus both get contour lines.
    shifted = z - surface.minimum + 1e-3
    levels = np.geomspace(shifted.min(), shifted.max(), 30)
    fig, ax = plt.subplots(figsize=(7, 5.5))
    ax.contour(gx, gy, shifted, levels=levels, cmap="viridis", linewidths=0.6, alpha=0.8)
    for mx, my in surface.minimizers:
        ax.plot(mx, my, marker="*", color="black", markersize=12, linestyle="none")
    ax.plot(*surface.start, marker="o", color="black", markersize=6, linestyle="none")
    for r in runs:
        status = "diverged" if r.diverged else f"final {r.final_loss:.2g}"
        line, = ax.plot(r.path[:, 0], r.path[:, 1], linewidth=1.4,
                        label=f"{r.optimizer} (lr {r.lr:g}, {status})")
        ax.plot(r.path[-1, 0], r.path[-1, 1], marker="x", color=line.get_color())
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_title(f"{surface.name}: {surface.formula}")
    ax.legend(loc="best", fontsize=8)
    out_stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [out_stem.with_suffix(".png"), out_stem.with_suffix(".svg")]
    for path in paths:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return paths
