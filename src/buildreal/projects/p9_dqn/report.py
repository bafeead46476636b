"""The demo's other figures: logged quantities over training (epsilon, Q-values) across
seeds, and the learning curves of this agent beside Stable-Baselines3's."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from buildreal.projects.p9_dqn.reference.dqn.plots import _curve  # noqa: E402


def plot_logged(histories: list[dict[str, list[float]]], key: str, label: str,
                path: Path) -> None:
    """The mean of ``history[key]`` over seeds against environment steps, with a band."""
    steps = np.asarray(histories[0]["log_step"], dtype=float)
    n = min(len(h[key]) for h in histories)
    stack = np.array([h[key][:n] for h in histories], dtype=float)  # (seeds, n)
    mean, std = stack.mean(axis=0), stack.std(axis=0)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot(steps[:n], mean, color="black")
    ax.fill_between(steps[:n], mean - std, mean + std, color="gray", alpha=0.3)
    ax.set_xlabel("environment steps")
    ax.set_ylabel(label)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def plot_comparison(ours: list[dict[str, list[float]]], sb3: list[dict[str, list[float]]],
                    path: Path, window: int = 20) -> None:
    """Both agents' moving-average returns (mean and band over seeds), same step axis."""
    ends = [h["episode_end_step"] for h in ours + sb3 if h["episode_end_step"]]
    grid = np.linspace(max(e[0] for e in ends), max(e[-1] for e in ends), 200)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, group, color in (("this DQN", ours, "tab:blue"), ("SB3 DQN (rl-zoo)", sb3,
                                                                  "tab:orange")):
        stack = np.vstack([_curve(h["episode_end_step"], h["episode_return"], grid, window)
                           for h in group])
        mean, std = np.nanmean(stack, axis=0), np.nanstd(stack, axis=0)
        ax.plot(grid, mean, color=color, label=name)
        ax.fill_between(grid, mean - std, mean + std, color=color, alpha=0.2)
    ax.set_xlabel("environment steps")
    ax.set_ylabel(f"episode return ({window}-episode moving average)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
