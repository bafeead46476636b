"""Figure for Module 5, lesson 5: gender associations of occupation words in a sentence
encoder.

Why: "models absorb the biases of their training text" is easier to take seriously when
you measure it in a model you use. For each occupation, the bar is its cosine similarity
to "a man" minus its cosine similarity to "a woman", computed with the all-MiniLM-L6-v2
encoder installed with the course. One template and ten words make a probe, not an
audit; the lesson says so.

Usage: python m5_embedding_bias.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from buildreal.tutor.embedder import Embedder  # noqa: E402

OCCUPATIONS = ["nurse", "babysitter", "receptionist", "hairdresser", "pilot",
               "secretary", "engineer", "mechanic", "surgeon", "carpenter"]


def main(out_path: str) -> None:
    encoder = Embedder()
    words = encoder.encode(OCCUPATIONS)                   # (10, 384) unit rows
    man, woman = encoder.encode(["a man", "a woman"])     # (384,) each
    lean = words @ man - words @ woman                    # (10,) > 0: nearer "a man"
    order = lean.argsort()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    colors = ["#d6604d" if lean[i] < 0 else "#4393c3" for i in order]
    ax.barh([OCCUPATIONS[i] for i in order], lean[order], color=colors)
    ax.axvline(0, color="0.3", lw=1)
    for y, i in enumerate(order):
        ax.text(lean[i] + (0.004 if lean[i] >= 0 else -0.004), y, f"{lean[i]:+.3f}",
                va="center", ha="left" if lean[i] >= 0 else "right", fontsize=8)
    ax.set_xlabel('cos(word, "a man") - cos(word, "a woman")')
    ax.set_xlim(-0.22, 0.22)
    ax.set_title("Occupation words in all-MiniLM-L6-v2: which way each one leans",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
