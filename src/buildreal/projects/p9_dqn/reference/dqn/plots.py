"""The learning-curve figure: episode returns of several seeds, a moving average and its
spread."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _curve(steps: list[float], returns: list[float], grid: np.ndarray,
           window: int) -> np.ndarray:
    """The moving average of the returns, read at each grid step (last finished value)."""
    r = np.asarray(returns, dtype=float)
    avg = np.convolve(r, np.ones(window) / window, mode="full")[: len(r)]
    avg /= np.minimum(np.arange(1, len(r) + 1), window) / window  # unbiased at the start
    idx = np.searchsorted(np.asarray(steps), grid, side="right") - 1
    return np.where(idx >= 0, avg[np.clip(idx, 0, None)], np.nan)


def plot_learning_curves(histories: list[dict[str, list[float]]], path: str | Path,
                         window: int = 20) -> None:
    """Every seed's episode returns (faint), the mean of their moving averages over
    environment steps, and a band of one standard deviation across seeds."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ends = [h["episode_end_step"] for h in histories if h["episode_end_step"]]
    grid = np.linspace(max(e[0] for e in ends), max(e[-1] for e in ends), 200)
    curves = []
    for h in histories:
        ax.plot(h["episode_end_step"], h["episode_return"], lw=0.5, alpha=0.3)
        curves.append(_curve(h["episode_end_step"], h["episode_return"], grid, window))
    stack = np.vstack(curves)
    mean, std = np.nanmean(stack, axis=0), np.nanstd(stack, axis=0)
    ax.plot(grid, mean, color="black", lw=2, label=f"moving average ({window} episodes)")
    ax.fill_between(grid, mean - std, mean + std, color="gray", alpha=0.3,
                    label=f"± 1 std over {len(histories)} seeds")
    ax.set_xlabel("environment steps")
    ax.set_ylabel("episode return")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
