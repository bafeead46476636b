"""What a run leaves behind: score distributions with the threshold, ROC and PR curves,
and the highest-scoring false positives with the features that drove their error."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import precision_recall_curve, roc_curve  # noqa: E402


def plot_scores(scores: np.ndarray, labels: np.ndarray, threshold: float, path: Path) -> None:
    """Histograms of log10 test scores, normal and anomalous, threshold marked."""
    logs = np.log10(np.maximum(scores, 1e-8))
    bins = np.linspace(logs.min(), logs.max(), 60)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(logs[labels == 0], bins=bins, alpha=0.6, density=True, label="normal")
    ax.hist(logs[labels == 1], bins=bins, alpha=0.6, density=True, label="anomalous")
    ax.axvline(np.log10(max(threshold, 1e-8)), color="k", ls="--", label="threshold")
    ax.set_xlabel("log10 reconstruction error (test split)")
    ax.set_ylabel("density")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_curves(curves: dict[str, np.ndarray], labels: np.ndarray, path: Path) -> None:
    """ROC (left) and precision-recall (right) for each named score."""
    fig, (roc_ax, pr_ax) = plt.subplots(1, 2, figsize=(10, 4))
    for name, scores in curves.items():
        fpr, tpr, _ = roc_curve(labels, scores)
        precision, recall, _ = precision_recall_curve(labels, scores)
        roc_ax.plot(fpr, tpr, label=name)
        pr_ax.plot(recall, precision, label=name)
    roc_ax.plot([0, 1], [0, 1], color="grey", ls=":")
    roc_ax.set(xlabel="false-positive rate", ylabel="true-positive rate", title="ROC")
    pr_ax.axhline(labels.mean(), color="grey", ls=":")
    pr_ax.set(xlabel="recall", ylabel="precision", title="precision-recall")
    roc_ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def false_positive_table(indices: list[int], scores: np.ndarray, errors: np.ndarray,
                         raw: np.ndarray, names: list[str], top: int = 3) -> str:
    """Markdown: one line per false positive, the features with the largest squared
    error first (share of the row's error, raw value)."""
    lines = ["| test row | score | features driving the error (share of error, raw value) |",
             "|---:|---:|---|"]
    for i in indices:
        share = errors[i] / max(errors[i].sum(), 1e-12)  # (F,)
        worst = np.argsort(-errors[i])[:top]
        drivers = ", ".join(f"{names[j]} ({share[j]:.0%}, {raw[i, j]:g})" for j in worst)
        lines.append(f"| {i} | {scores[i]:.4g} | {drivers} |")
    return "\n".join(lines) + "\n"
