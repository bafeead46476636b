"""The learning-curve figure."""

from __future__ import annotations

from pathlib import Path


def plot_learning_curves(histories: list[dict[str, list[float]]], path: str | Path,
                         window: int = 20) -> None:
    """Save a PNG at ``path``: each history's "episode_return" against its
    "episode_end_step", a moving average over ``window`` episodes, and a band across the
    histories (one per seed)."""
    # TODO 13: matplotlib with the Agg backend; draw first, then savefig(path).
    raise NotImplementedError("plot_learning_curves")
