"""Figure for Module 2, lesson 5: which changes reduce overfitting, and which do not.

Why: "fixes" for overfitting are easy to name and easy to get wrong. A network with 200
tanh units is fitted to 12 noisy points of a sine curve by full-batch gradient descent
with momentum, a setting where it memorises the noise. The script then re-runs the same
training with one change at a time (weight decay, dropout, early stopping, eight times
more data, three times more units, twice as many steps) and measures the mean squared
error on 300 fresh points, averaged over three seeds. The dashed line is the noise
floor: the error even the true curve would have.

Usage: python m2_regularisation.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

NOISE = 0.35


def make_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, (n, 1))  # (n, 1)
    return x, np.sin(3.0 * x) + rng.normal(0.0, NOISE, (n, 1))  # (n, 1)


def train(n_train: int = 12, hidden: int = 200, weight_decay: float = 0.0,
          dropout: float = 0.0, steps: int = 4000, seed: int = 0,
          every: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Return the validation MSE every `every` steps and the training MSE at the end."""
    rng = np.random.default_rng(seed)
    x_tr, y_tr = make_data(n_train, rng)
    x_va, y_va = make_data(300, rng)
    W1 = rng.normal(0.0, 4.0, (1, hidden))  # (1, H) steep units: room for wiggles
    b1 = rng.uniform(-4.0, 4.0, hidden)  # (H,)
    W2 = rng.normal(0.0, 0.05 * np.sqrt(200 / hidden), (hidden, 1))  # (H, 1)
    b2 = np.zeros(1)
    params = [W1, b1, W2, b2]
    velocity = [np.zeros_like(p) for p in params]
    val = []
    for step in range(steps):
        H = np.tanh(x_tr @ W1 + b1)  # (n, H)
        keep = (rng.random(H.shape) >= dropout) / (1.0 - dropout)  # (n, H) inverted dropout
        Hd = H * keep
        pred = Hd @ W2 + b2  # (n, 1)
        if step % every == 0:
            val_pred = np.tanh(x_va @ W1 + b1) @ W2 + b2  # no dropout when evaluating
            val.append(float(np.mean((val_pred - y_va) ** 2)))
        d_pred = 2.0 * (pred - y_tr) / n_train  # (n, 1)
        d_z = (d_pred @ W2.T) * keep * (1.0 - H ** 2)  # (n, H)
        grads = [x_tr.T @ d_z + weight_decay * W1, d_z.sum(axis=0),
                 Hd.T @ d_pred + weight_decay * W2, d_pred.sum(axis=0)]
        for p, v, g in zip(params, velocity, grads):
            v *= 0.9
            v -= 0.005 * g
            p += v
    train_mse = float(np.mean((np.tanh(x_tr @ W1 + b1) @ W2 + b2 - y_tr) ** 2))
    return np.array(val), np.array([train_mse])


CHANGES = [  # (label, settings, kind)
    ("no change (baseline)", {}, "base"),
    ("weight decay 0.01", {"weight_decay": 0.01}, "fix"),
    ("dropout 0.2", {"dropout": 0.2}, "fix"),
    ("early stopping", {}, "fix"),
    ("8x more data (100 points)", {"n_train": 100}, "fix"),
    ("3x more units (600)", {"hidden": 600}, "not"),
    ("train twice as long", {"steps": 8000}, "not"),
]


def main(out_path: str) -> None:
    seeds = (0, 1, 2)
    results, curves = {}, {}
    for label, settings, _kind in CHANGES:
        finals = []
        for seed in seeds:
            val, _ = train(seed=seed, **settings)
            finals.append(val.min() if label == "early stopping" else val[-1])
            if seed == 0:
                curves[label] = val
        results[label] = float(np.mean(finals))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2),
                                      gridspec_kw={"width_ratios": [1, 1.2]})
    steps = np.arange(len(curves["no change (baseline)"])) * 20 + 1
    for label, colour in (("no change (baseline)", "tab:red"),
                          ("weight decay 0.01", "tab:blue"), ("dropout 0.2", "tab:green")):
        left.loglog(steps, curves[label], color=colour, label=label)
    left.axhline(NOISE ** 2, color="0.4", ls="--", lw=1)
    left.set_xlabel("gradient descent step (log scale)")
    left.set_ylabel("validation MSE (log scale)")
    left.set_title("Validation error during training (seed 0)")
    left.legend(fontsize=8)

    colours = {"base": "0.5", "fix": "tab:blue", "not": "tab:red"}
    labels = [label for label, _, _ in CHANGES]
    right.barh(labels, [results[label] for label in labels],
               color=[colours[kind] for _, _, kind in CHANGES])
    for i, label in enumerate(labels):
        right.text(results[label] + 0.01, i, f"{results[label]:.2f}", va="center", fontsize=8)
    right.axvline(NOISE ** 2, color="0.4", ls="--", lw=1)
    right.text(NOISE ** 2 + 0.01, -0.55, "noise floor", fontsize=8, color="0.3")
    right.invert_yaxis()
    right.set_xlabel("validation MSE at the end of training, mean of 3 seeds")
    right.set_title("One change at a time (blue: reduces overfitting, red: does not)",
                    fontsize=10)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
