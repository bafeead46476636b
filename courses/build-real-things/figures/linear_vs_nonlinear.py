"""Figure for lesson 1: a straight line versus a small ReLU network on curved data.

Why: the lesson claims that the nonlinearity between layers is what lets a stack of
layers bend to fit a pattern. This script shows it on real numbers: both models are
fitted to the same 60 noisy points, one with least squares, one with gradient descent.

Usage: python linear_vs_nonlinear.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def fit_relu_net(x: np.ndarray, y: np.ndarray, hidden: int = 32, steps: int = 4000,
                 lr: float = 0.05, seed: int = 0):
    """Fit y ~ W2 relu(W1 x + b1) + b2 by full-batch gradient descent with momentum."""
    rng = np.random.default_rng(seed)
    X = x[:, None]  # (N, 1)
    Y = y[:, None]  # (N, 1)
    W1 = rng.normal(0.0, 1.0, (1, hidden))  # (1, H)
    b1 = rng.uniform(-3.0, 3.0, hidden)  # (H,) spread the kinks over the input range
    W2 = rng.normal(0.0, 0.3, (hidden, 1))  # (H, 1)
    b2 = np.zeros(1)
    params = [W1, b1, W2, b2]
    velocity = [np.zeros_like(p) for p in params]
    for _ in range(steps):
        Z = X @ W1 + b1  # (N, H)
        H = np.maximum(Z, 0.0)  # (N, H)
        P = H @ W2 + b2  # (N, 1)
        dP = 2.0 * (P - Y) / len(X)  # (N, 1) gradient of the mean squared error
        dW2 = H.T @ dP  # (H, 1)
        db2 = dP.sum(axis=0)
        dH = dP @ W2.T  # (N, H)
        dZ = dH * (Z > 0)  # (N, H)
        dW1 = X.T @ dZ  # (1, H)
        db1 = dZ.sum(axis=0)
        for p, v, g in zip(params, velocity, [dW1, db1, dW2, db2]):
            v *= 0.9
            v -= lr * g
            p += v

    def predict(xs: np.ndarray) -> np.ndarray:
        return (np.maximum(xs[:, None] @ W1 + b1, 0.0) @ W2 + b2)[:, 0]

    return predict


def main(out_path: str) -> None:
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(-3.0, 3.0, 60))
    y = np.sin(1.5 * x) + 0.3 * x + rng.normal(0.0, 0.15, x.shape)
    grid = np.linspace(-3.0, 3.0, 300)

    slope, intercept = np.polyfit(x, y, 1)
    net = fit_relu_net(x, y)

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.scatter(x, y, s=14, color="0.35", label="training examples")
    ax.plot(grid, slope * grid + intercept, color="tab:red", lw=2,
            label="one linear layer (or many, with no nonlinearity)")
    ax.plot(grid, net(grid), color="tab:blue", lw=2, label="two layers with ReLU between them")
    ax.set_xlabel("input")
    ax.set_ylabel("output")
    ax.set_title("Nonlinearity lets stacked layers bend to the pattern")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
