"""Figure for Module 4, lesson 5: how few parameters LoRA trains, and why memory falls less.

Why: the LoRA paper's headline ("10,000 times fewer trainable parameters, 3 times less
GPU memory") is easy to misread as "10,000 times cheaper". Using GPT-3 175B's shape as
given in the GPT-3 paper (96 layers, model width 12,288) and LoRA on the query and value
projections as in the LoRA paper, this computes the trainable parameters for ranks 1 to
64 against full fine-tuning. The frozen weights must still be stored and run, which is
why the paper measured memory falling about 3 times (1.2 TB to 350 GB), not 10,000.

Usage: python m4_lora_params.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FULL = 175e9          # GPT-3's parameter count
LAYERS, WIDTH = 96, 12288
MATRICES = 2          # W_q and W_v per layer


def lora_params(rank: int) -> int:
    """A (rank x width) and B (width x rank) for each adapted matrix."""
    return LAYERS * MATRICES * rank * (WIDTH + WIDTH)


def main(out_path: str) -> None:
    ranks = [1, 2, 4, 8, 16, 32, 64]
    counts = [lora_params(r) for r in ranks]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.loglog(ranks, counts, "o-", label="LoRA on W_q and W_v")
    ax.axhline(FULL, color="tab:red", ls="--", label="full fine-tuning (175 billion)")
    for r, c in zip(ranks, counts, strict=True):
        ax.text(r, c * 1.6, f"{FULL / c:,.0f}×", ha="center", fontsize=7)
    ax.set_xscale("log", base=2)
    ax.set_ylim(1e6, 1e12)
    ax.set_xlabel("LoRA rank r")
    ax.set_ylabel("trainable parameters")
    ax.set_title(f"GPT-3 shape: rank 4 trains {lora_params(4) / 1e6:.1f} M parameters, "
                 f"{FULL / lora_params(4):,.0f}× fewer")
    ax.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
