"""Figure for Module 5, lesson 3: one next-token distribution at three temperatures.

Why: "temperature" is easiest to understand as what it does to the probabilities the
model samples from. The scores below are fixed example logits for the word after "The
soup was"; the softmax at each temperature, and its entropy, are computed with PyTorch.

Usage: python m5_temperature.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

WORDS = ["delicious", "cold", "too", "salty", "great", "purple"]
LOGITS = torch.tensor([3.0, 2.2, 1.8, 1.5, 1.2, -2.0])  # (6,) scores for the next word


def main(out_path: str) -> None:
    temperatures = [0.3, 1.0, 2.0]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True)
    for ax, t in zip(axes, temperatures, strict=True):
        probs = torch.softmax(LOGITS / t, dim=0)             # (6,)
        entropy = -(probs * probs.log()).sum().item()        # in nats
        ax.bar(range(len(WORDS)), probs.numpy(), color="#3182bd")
        for i, p in enumerate(probs.tolist()):
            ax.text(i, p + 0.015, f"{p:.2f}", ha="center", fontsize=8)
        ax.set_xticks(range(len(WORDS)), WORDS, rotation=40, ha="right")
        ax.set_title(f"T = {t}  (entropy {entropy:.2f} nats)", fontsize=10)
        ax.set_ylim(0, 1.05)
    axes[0].set_ylabel("probability of the next word")
    fig.suptitle('"The soup was ..." : dividing the logits by T before the softmax', fontsize=11)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
