"""Figure for Module 5, lesson 2: the same predictions scored by different metrics.

Why: whether a language system looks good depends on how its task is framed and scored.
Three made-up review classifiers are scored on an imbalanced test set (85% positive), at
document level by accuracy and macro-F1, and the aspect-based reading of the same reviews
by tuple-level F1. Every bar is computed here from the predictions, with numpy.

Usage: python m5_task_metrics.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """Mean over classes of F1, so a rare class counts as much as a common one."""
    scores = []
    for label in np.unique(gold):
        tp = np.sum((pred == label) & (gold == label))
        fp = np.sum((pred == label) & (gold != label))
        fn = np.sum((pred != label) & (gold == label))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def main(out_path: str) -> None:
    rng = np.random.default_rng(0)
    gold = (rng.random(1000) < 0.85).astype(int)             # 1 = positive, (1000,)
    always_positive = np.ones_like(gold)
    flip = rng.random(1000) < 0.10                           # a model wrong 10% of the time
    decent = np.where(flip, 1 - gold, gold)
    flip_pos = (rng.random(1000) < 0.02) & (gold == 1)       # rarely wrong on positives,
    flip_neg = (rng.random(1000) < 0.70) & (gold == 0)       # mostly wrong on negatives
    lopsided = np.where(flip_pos | flip_neg, 1 - gold, gold)

    names = ["always 'positive'", "wrong 10%\nat random", "misses 70%\nof negatives"]
    preds = [always_positive, decent, lopsided]
    accuracy = [float(np.mean(p == gold)) for p in preds]
    macro = [macro_f1(gold, p) for p in preds]

    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ax.bar(x - 0.18, accuracy, width=0.36, label="accuracy", color="#9ecae1")
    ax.bar(x + 0.18, macro, width=0.36, label="macro-F1", color="#3182bd")
    for i in range(len(names)):
        ax.text(x[i] - 0.18, accuracy[i] + 0.01, f"{accuracy[i]:.2f}", ha="center", fontsize=9)
        ax.text(x[i] + 0.18, macro[i] + 0.01, f"{macro[i]:.2f}", ha="center", fontsize=9)
    ax.set_xticks(x, names)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("score")
    ax.set_title("Document sentiment on a test set that is 85% positive", fontsize=11)
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
