"""Figure for lesson 2: training loss keeps falling while validation loss turns up.

Why: overfitting is read off two curves, not one. A one-hidden-layer tanh network with
far more capacity than data (200 units, 12 noisy training points) is trained by
full-batch gradient descent with momentum; the 300 validation points come from the same
curve with fresh noise, and the network never trains on them.

Usage: python loss_curves.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def make_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, (n, 1))  # (n, 1)
    y = np.sin(3.0 * x) + rng.normal(0.0, 0.35, (n, 1))  # (n, 1)
    return x, y


def train(steps: int = 4000, lr: float = 0.005, hidden: int = 200, seed: int = 0,
          every: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (steps, training MSE, validation MSE), sampled every `every` steps."""
    rng = np.random.default_rng(seed)
    x_tr, y_tr = make_data(12, rng)
    x_va, y_va = make_data(300, rng)
    W1 = rng.normal(0.0, 4.0, (1, hidden))  # (1, H) steep units: capacity for wiggles
    b1 = rng.uniform(-4.0, 4.0, hidden)  # (H,)
    W2 = rng.normal(0.0, 0.05, (hidden, 1))  # (H, 1)
    b2 = np.zeros(1)
    params = [W1, b1, W2, b2]
    velocity = [np.zeros_like(p) for p in params]
    at, train_curve, val_curve = [], [], []
    for step in range(steps):
        H = np.tanh(x_tr @ W1 + b1)  # (n, H)
        P = H @ W2 + b2  # (n, 1)
        if step % every == 0:
            at.append(step + 1)
            train_curve.append(float(np.mean((P - y_tr) ** 2)))
            val_pred = np.tanh(x_va @ W1 + b1) @ W2 + b2  # (300, 1)
            val_curve.append(float(np.mean((val_pred - y_va) ** 2)))
        dP = 2.0 * (P - y_tr) / len(x_tr)  # (n, 1) gradient of the mean squared error
        dZ = (dP @ W2.T) * (1.0 - H ** 2)  # (n, H)
        grads = [x_tr.T @ dZ, dZ.sum(axis=0), H.T @ dP, dP.sum(axis=0)]
        for p, v, g in zip(params, velocity, grads):
            v *= 0.9
            v -= lr * g
            p += v
    return np.array(at), np.array(train_curve), np.array(val_curve)


def main(out_path: str) -> None:
    at, train_curve, val_curve = train()
    best = int(np.argmin(val_curve))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.loglog(at, train_curve, color="tab:blue", label="training loss")
    ax.loglog(at, val_curve, color="tab:orange", label="validation loss")
    ax.axvline(at[best], color="0.4", ls="--", lw=1)
    ax.annotate("lowest validation loss:\nstop here (early stopping)",
                xy=(at[best], val_curve[best]), xytext=(at[best] * 4, val_curve[best] * 0.15),
                fontsize=8, arrowprops={"arrowstyle": "->", "color": "0.3"})
    ax.set_xlabel("gradient descent step (log scale)")
    ax.set_ylabel("mean squared error (log scale)")
    ax.set_title("Memorising the training set: the curves part ways")
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
