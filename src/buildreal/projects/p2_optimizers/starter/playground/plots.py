"""Draw every optimizer's path over the surface's contour lines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; no window needed

from .runs import Run  # noqa: E402
from .surfaces import Surface  # noqa: E402


def plot_paths(surface: Surface, runs: Sequence[Run], out_stem: Path) -> list[Path]:
    """Write out_stem.png and out_stem.svg and return both paths.

    Contours: evaluate surface.value on a np.meshgrid over surface.bounds (stack x and y
    on a last axis of size 2). Log-spaced levels show valleys and plateaus alike. Then one
    line per run (run.path[:, 0], run.path[:, 1]) with the optimizer's name in the legend.
    """
    raise NotImplementedError("TODO: plot_paths")
