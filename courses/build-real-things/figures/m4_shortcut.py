"""Figure for Module 4, lesson 8: a model takes the shortcut when training offers one.

Why: shortcut learning is easiest to believe when you watch it happen. Seeded synthetic
data have a "core" feature that truly causes the label (noisy: alone it gives about 84%
accuracy) and a "shortcut" feature that agrees with the label in a chosen share of the
training examples (like a hospital's scanner tag, or snow behind wolves). A logistic
regression is trained for each share, then tested where the shortcut still agrees as
often as in training (the usual held-out split) and where it agrees only half the time
(a new hospital). Accuracy is computed, not drawn.

Usage: python m4_shortcut.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def make(rng: np.random.Generator, n: int, agree: float):
    """Features (n, 2): [core, shortcut]; labels (n,) in {0, 1}."""
    y = rng.random(n) < 0.5
    sign = np.where(y, 1.0, -1.0)
    core = sign + rng.normal(0.0, 1.0, n)               # real but noisy signal
    agrees = rng.random(n) < agree
    shortcut = np.where(agrees, sign, -sign) + rng.normal(0.0, 0.1, n)  # clean, unreliable
    return np.stack([core, shortcut], axis=1), y


def fit(x: np.ndarray, y: np.ndarray, steps: int = 500, lr: float = 0.5) -> np.ndarray:
    """Logistic regression by gradient descent; returns [w_core, w_shortcut, bias]."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(3)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        w -= lr * xb.T @ (p - y) / len(y)
    return w


def accuracy(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    return float(((np.hstack([x, np.ones((len(x), 1))]) @ w > 0) == y).mean())


def main(out_path: str) -> None:
    rng = np.random.default_rng(0)
    shares = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
    same, shifted = [], []
    for share in shares:
        w = fit(*make(rng, 4000, share))
        same.append(accuracy(w, *make(rng, 4000, share)))
        shifted.append(accuracy(w, *make(rng, 4000, 0.5)))
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.plot(shares, same, "o-", label="held-out test, same hospital")
    ax.plot(shares, shifted, "s-", label="new hospital: shortcut uninformative")
    ax.axhline(0.84, color="0.5", ls=":", lw=1)
    ax.text(0.5, 0.855, "core feature alone ≈ 84%", fontsize=8, color="0.4")
    ax.set_xlabel("share of training examples in which the shortcut agrees with the label")
    ax.set_ylabel("accuracy")
    ax.set_title(f"At 95%: {same[5]:.0%} on the usual test split, {shifted[5]:.0%} elsewhere")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
