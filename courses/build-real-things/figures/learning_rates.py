"""Figure for lesson 2: the same descent with a learning rate too low, about right, too high.

Why: the learning rate is one number, and changing it alone turns a run that trains
into one that crawls or diverges. The loss here is a simple bowl, L(w) = (w - 3)^2, so
every step is exact arithmetic: w <- w - lr * 2 (w - 3).

Usage: python learning_rates.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

TARGET = 3.0


def loss(w: np.ndarray | float) -> np.ndarray | float:
    return (w - TARGET) ** 2


def descend(lr: float, w0: float = -1.0, steps: int = 12) -> np.ndarray:
    """Return the weights visited by gradient descent, starting point included."""
    path = [w0]
    for _ in range(steps):
        w = path[-1]
        path.append(w - lr * 2.0 * (w - TARGET))
    return np.array(path)


def main(out_path: str) -> None:
    runs = [(0.02, "too low (0.02)", "tab:orange"),
            (0.3, "about right (0.3)", "tab:green"),
            (1.05, "too high (1.05)", "tab:red")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    ws = np.linspace(-3.5, 9.5, 300)
    left.plot(ws, loss(ws), color="0.6")
    for lr, label, colour in runs:
        path = descend(lr, steps=6)
        left.plot(path, loss(path), "o-", color=colour, ms=4, lw=1, label=label)
        right.semilogy(loss(descend(lr, steps=30)), "o-", color=colour, ms=3, label=label)
    left.set_xlim(-3.5, 9.5)
    left.set_ylim(0, 45)
    left.set_xlabel("weight w")
    left.set_ylabel("loss")
    left.set_title("First six steps on the loss curve")
    right.set_ylim(1e-6, 1e4)  # below 1e-6 the good run is simply "converged"
    right.legend(fontsize=8, loc="lower left")
    right.set_xlabel("step")
    right.set_ylabel("loss (log scale)")
    right.set_title("Loss over 30 steps")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
