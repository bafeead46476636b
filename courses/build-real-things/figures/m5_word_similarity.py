"""Figure for Module 5, lesson 1: word similarity under one-hot codes and learned embeddings.

Why: the claim that one-hot vectors hold no similarity is easiest to believe side by
side with a learned embedding of the same words. Both panels are computed here: the left
from one-hot vectors, the right from the all-MiniLM-L6-v2 sentence encoder that the
project installs offline, so the picture cannot disagree with the lesson's code.

Usage: python m5_word_similarity.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from buildreal.tutor.embedder import Embedder  # noqa: E402

WORDS = ["cat", "dog", "kitten", "car", "truck", "banana", "apple"]


def main(out_path: str) -> None:
    one_hot = np.eye(len(WORDS))                      # (7, 7): one row per word
    onehot_cos = one_hot @ one_hot.T                  # unit rows, so dot = cosine
    learned = Embedder().encode(WORDS)                # (7, 384) unit rows
    learned_cos = learned @ learned.T                 # (7, 7)

    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.6))
    panels = [(onehot_cos, "one-hot: every pair has cosine 0"),
              (learned_cos, "learned (all-MiniLM-L6-v2): cosine similarity")]
    for ax, (matrix, title) in zip(axes, panels, strict=True):
        ax.imshow(matrix, vmin=0, vmax=1, cmap="Blues")
        ax.set_xticks(range(len(WORDS)), WORDS, rotation=45, ha="right")
        ax.set_yticks(range(len(WORDS)), WORDS)
        for i in range(len(WORDS)):
            for j in range(len(WORDS)):
                value = matrix[i, j]
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                        color="white" if value > 0.6 else "black")
        ax.set_title(title, fontsize=10)
    fig.suptitle("The same seven words, two representations", fontsize=11)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
