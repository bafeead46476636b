"""Figure for Module 2, lesson 1: depth buys many linear pieces for few units.

Why: "deep beats wide" is easiest to see on a function both kinds of network can
represent exactly. A "tent" made of two ReLU units, composed with itself k times, has
2**k linear pieces from only 2k units. A network with one hidden layer needs one ReLU per
kink, so it must grow as 2**k - 1 units. The script builds both networks, checks on a fine
grid that they compute the same function, and counts pieces and units.

Usage: python m2_depth_sawtooth.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def relu(v: np.ndarray) -> np.ndarray:
    return np.maximum(v, 0.0)


def tent(x: np.ndarray) -> np.ndarray:
    """One hidden layer of two ReLUs: rises from 0 to 1 on [0, 0.5], falls back on [0.5, 1]."""
    return 2.0 * relu(x) - 4.0 * relu(x - 0.5)


def deep(x: np.ndarray, layers: int) -> np.ndarray:
    for _ in range(layers):
        x = tent(x)
    return x


def shallow(x: np.ndarray, layers: int) -> tuple[np.ndarray, int]:
    """The same sawtooth from ONE hidden layer: a ReLU at every kink. Returns (y, units)."""
    teeth = 2 ** (layers - 1)
    kinks = np.arange(1, 2 * teeth) / (2 * teeth)  # interior kinks of the sawtooth
    slope = 2.0 * teeth
    y = slope * relu(x)
    for i, k in enumerate(kinks):
        change = -2 * slope if i % 2 == 0 else 2 * slope  # slope flips sign at each kink
        y = y + change * relu(x - k)
    return y, 1 + len(kinks)


def pieces(x: np.ndarray, y: np.ndarray) -> int:
    slopes = np.round(np.diff(y) / np.diff(x), 6)
    return 1 + int(np.count_nonzero(np.diff(slopes)))


def main(out_path: str) -> None:
    x = np.linspace(0.0, 1.0, 2 ** 12 + 1)  # grid points land exactly on every kink
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    depths = [1, 2, 3, 4, 5, 6, 7, 8]
    deep_units, shallow_units, counts = [], [], []
    for k in depths:
        y_deep = deep(x, k)
        y_flat, units = shallow(x, k)
        assert np.allclose(y_deep, y_flat), k  # the two networks compute one function
        counts.append(pieces(x, y_deep))
        deep_units.append(2 * k)
        shallow_units.append(units)
        if k <= 3:
            left.plot(x, y_deep + 1.2 * (k - 1), label=f"{k} layer{'s' if k > 1 else ''}:"
                      f" {counts[-1]} pieces")
    left.set_title("A 2-unit tent composed with itself")
    left.set_xlabel("input x")
    left.set_yticks([])
    left.set_ylim(-0.1, 4.1)
    left.legend(loc="upper center", fontsize=8, ncol=3)
    right.semilogy(counts, shallow_units, "o-", color="tab:red", label="one wide hidden layer")
    right.semilogy(counts, deep_units, "s-", color="tab:blue", label="deep: 2 units per layer")
    right.set_xscale("log", base=2)
    right.set_xlabel("linear pieces in the function (log scale)")
    right.set_ylabel("ReLU units needed (log scale)")
    right.set_title("Units needed for the same sawtooth")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
