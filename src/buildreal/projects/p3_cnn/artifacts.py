"""What a training run leaves behind: curves, a confusion matrix, the most confidently
wrong test images, and the numbers the report is written from. Matplotlib (Agg) only."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from buildreal.projects.p3_cnn.data import FASHION_MEAN, FASHION_STD  # noqa: E402


def confusion_matrix(y_true: torch.Tensor, y_pred: torch.Tensor, k: int) -> np.ndarray:
    """counts[true, predicted], shape (k, k)."""
    flat = (y_true * k + y_pred).numpy()
    return np.bincount(flat, minlength=k * k).reshape(k, k)


def hardest_pairs(
    cm: np.ndarray, names: tuple[str, ...], top: int = 3
) -> list[tuple[str, str, int, float]]:
    """Class pairs confused most often in either direction: (a, b, errors, share of a+b)."""
    k = len(cm)
    pairs = []
    for a in range(k):
        for b in range(a + 1, k):
            errors = int(cm[a, b] + cm[b, a])
            support = int(cm[a].sum() + cm[b].sum())
            pairs.append((names[a], names[b], errors, errors / max(1, support)))
    return sorted(pairs, key=lambda p: -p[2])[:top]


def most_confident_mistakes(
    probs: torch.Tensor, y: torch.Tensor, n: int = 10
) -> list[tuple[int, int, int, float]]:
    """(index, true, predicted, confidence) of the n wrong predictions made most confidently."""
    conf, pred = probs.max(1)
    wrong = (pred != y).nonzero().flatten()
    order = wrong[conf[wrong].argsort(descending=True)][:n]
    return [(int(i), int(y[i]), int(pred[i]), float(conf[i])) for i in order]


def plot_curves(histories: dict[str, dict[str, list[float]]], path: Path) -> None:
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    for label, h in histories.items():
        epochs = range(1, len(h["val_acc"]) + 1)
        ax_loss.plot(epochs, h["train_loss"], label=f"{label}: train")
        ax_loss.plot(epochs, h["val_loss"], "--", label=f"{label}: validation")
        ax_acc.plot(epochs, h["train_acc"], label=f"{label}: train")
        ax_acc.plot(epochs, h["val_acc"], "--", label=f"{label}: validation")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy", title="Loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_confusion(cm: np.ndarray, names: tuple[str, ...], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    shown = ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set(xlabel="predicted", ylabel="true", title="Confusion matrix (test set)")
    for (i, j), count in np.ndenumerate(cm):
        ax.text(j, i, str(count), ha="center", va="center", fontsize=7,
                color="white" if count > cm.max() / 2 else "black")
    fig.colorbar(shown)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_mistakes(
    x: torch.Tensor, mistakes: list[tuple[int, int, int, float]], names: tuple[str, ...],
    path: Path,
) -> None:
    fig, axes = plt.subplots(2, 5, figsize=(11, 6.2))
    for ax in axes.flat:
        ax.axis("off")
    for ax, (i, true, pred, conf) in zip(axes.flat, mistakes, strict=False):
        image = x[i, 0] * FASHION_STD + FASHION_MEAN  # undo the normalisation
        ax.imshow(image.numpy(), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"#{i}: {names[true]}\nsaid {names[pred]} ({conf:.0%})", fontsize=8)
    fig.suptitle("The ten most confidently wrong test predictions")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
