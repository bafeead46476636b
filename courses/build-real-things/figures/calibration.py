"""Figure for lesson 4: a reliability diagram for an overconfident classifier.

Why: calibration is a claim you can check. Simulated cases with known true probabilities
are scored by a model that sharpens its confidence (logits multiplied by 2.5). Binning the
predictions and comparing the mean confidence with the observed accuracy in each bin
exposes the gap; temperature scaling, fitted on a separate split, closes most of it.

Usage: python calibration.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def reliability(conf: np.ndarray, correct: np.ndarray, bins: int = 10):
    """Mean confidence, accuracy and count per confidence bin over [0.5, 1]."""
    edges = np.linspace(0.5, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges) - 1, 0, bins - 1)
    mean_conf, acc, count = [], [], []
    for b in range(bins):
        mask = which == b
        if mask.sum() >= 20:  # skip bins too thin to estimate an accuracy
            mean_conf.append(conf[mask].mean())
            acc.append(correct[mask].mean())
            count.append(mask.sum())
    return np.array(mean_conf), np.array(acc), np.array(count)


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """Pick T minimising the negative log-likelihood of sigmoid(logits / T) on a grid."""
    temps = np.linspace(0.5, 5.0, 451)
    nll = []
    for t in temps:
        p = np.clip(sigmoid(logits / t), 1e-9, 1 - 1e-9)
        nll.append(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))
    return float(temps[int(np.argmin(nll))])


def main(out_path: str) -> None:
    rng = np.random.default_rng(0)
    true_logit = rng.normal(0.0, 1.6, 40_000)
    labels = (rng.random(true_logit.shape) < sigmoid(true_logit)).astype(float)
    model_logit = 2.5 * true_logit  # an overconfident model: right ranking, too sharp

    fit_idx, eval_idx = np.arange(0, 20_000), np.arange(20_000, 40_000)
    temperature = fit_temperature(model_logit[fit_idx], labels[fit_idx])

    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0.5, 1.0], [0.5, 1.0], "--", color="0.5", label="perfect calibration")
    for logits, label, colour in [(model_logit, "raw model", "tab:red"),
                                  (model_logit / temperature,
                                   f"after temperature scaling (T = {temperature:.2f})",
                                   "tab:blue")]:
        p = sigmoid(logits[eval_idx])
        pred = (p >= 0.5).astype(float)
        conf = np.where(pred == 1, p, 1 - p)  # confidence in the predicted class
        correct = (pred == labels[eval_idx]).astype(float)
        mc, acc, _ = reliability(conf, correct)
        ax.plot(mc, acc, "o-", color=colour, label=label)
    ax.set_xlabel("stated confidence")
    ax.set_ylabel("observed accuracy")
    ax.set_title("Reliability diagram")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
