"""Figure for Module 4, lesson 6: reliability diagrams of over- and underconfident models.

Why: which side of the diagonal means what is easy to get backwards, so it is computed.
20,000 seeded examples get a true probability of being positive; labels are drawn from
it. Three models report that probability with their logits multiplied by 1 (calibrated),
2 (too sharp: overconfident) and 0.5 (too soft: underconfident). Each model predicts
the more likely class; its confidence is the probability of that class. Predictions are
binned by confidence and each bin's accuracy is plotted against its mean confidence,
as in Guo et al. (2017). Below the diagonal, accuracy falls short of confidence
(overconfident); above it, accuracy exceeds confidence (underconfident).

Usage: python m4_reliability.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def reliability(conf: np.ndarray, correct: np.ndarray, bins: int = 10):
    """(mean confidence, accuracy, count) per occupied confidence bin, and the ECE."""
    edges = np.linspace(0.5, 1.0, bins + 1)
    idx = np.clip(np.digitize(conf, edges) - 1, 0, bins - 1)
    rows, ece = [], 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            rows.append((conf[mask].mean(), correct[mask].mean(), mask.sum()))
            ece += mask.mean() * abs(conf[mask].mean() - correct[mask].mean())
    return rows, ece


def main(out_path: str) -> None:
    rng = np.random.default_rng(0)
    logit = rng.normal(0.0, 2.0, 20_000)
    labels = rng.random(20_000) < 1 / (1 + np.exp(-logit))
    fig, ax = plt.subplots(figsize=(5.2, 5))
    ax.plot([0.5, 1], [0.5, 1], color="0.5", ls="--", lw=1, label="perfect calibration")
    for scale, name in ((1.0, "calibrated"), (2.0, "overconfident"), (0.5, "underconfident")):
        p = 1 / (1 + np.exp(-scale * logit))
        pred = p >= 0.5
        conf = np.where(pred, p, 1 - p)
        rows, ece = reliability(conf, pred == labels)
        xs, ys, _ = zip(*rows, strict=True)
        ax.plot(xs, ys, "o-", label=f"{name} (ECE {ece:.3f})")
    ax.set_xlabel("mean confidence in bin")
    ax.set_ylabel("accuracy in bin")
    ax.set_title("Below the diagonal: overconfident\nabove: underconfident")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
