"""Chapter 3, the transformer section: what the worked block attends to, and positions.

Run as ``python figures/ch3_attention.py OUTPUT_PATH``. The left panels recompute the
chapter's worked example (same seed, same layers, same sentence) and draw the causal
attention weights of its two heads. The right panel computes sinusoidal position vectors
(Vaswani et al., 2017, section 3.5) for 64 positions and draws their pairwise dot
products: the bands run parallel to the diagonal because each product depends only on
the distance between the two positions.
"""

from __future__ import annotations

import math
import sys

import matplotlib
import torch
from torch import nn

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

WORDS = ["the", "cat", "sat", "on", "the", "mat"]


def sinusoids(T: int, d: int) -> torch.Tensor:
    pos = torch.arange(T).unsqueeze(1)                               # (T, 1)
    freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2) / d)  # (d/2,)
    pe = torch.zeros(T, d)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
    return pe                                                        # (T, d)


def block_weights() -> torch.Tensor:
    """The worked block's causal attention weights, (heads, T, T), as in the chapter."""
    torch.manual_seed(0)
    ids = torch.tensor([[1, 2, 3, 4, 1, 5]])                         # (B=1, T=6)
    B, T = ids.shape
    d, heads = 16, 2
    hd = d // heads
    embed = nn.Embedding(6, d)
    qkv = nn.Linear(d, 3 * d)
    nn.Linear(d, d)                                                  # proj: keeps the RNG in step
    norm1 = nn.LayerNorm(d)
    with torch.no_grad():
        x = embed(ids) + sinusoids(T, d)                             # (B, T, d)
        q, k, _v = qkv(norm1(x)).split(d, dim=-1)
        q, k = (t.view(B, T, heads, hd).transpose(1, 2) for t in (q, k))  # (B, h, T, hd)
        scores = q @ k.transpose(-2, -1) / math.sqrt(hd)             # (B, h, T, T)
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
        return scores.masked_fill(mask, float("-inf")).softmax(dim=-1)[0]


def main(out: str) -> None:
    weights = block_weights().numpy()
    pe = sinusoids(64, 32)
    similarity = (pe @ pe.T).numpy()                                 # (64, 64)

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8),
                             gridspec_kw={"width_ratios": [1, 1, 1.15]})
    for head in range(2):
        ax = axes[head]
        ax.imshow(weights[head], cmap="Blues", vmin=0, vmax=1)
        for i in range(6):
            for j in range(6):
                if j <= i:
                    ax.text(j, i, f"{weights[head, i, j]:.2f}", ha="center", va="center",
                            fontsize=8, color="white" if weights[head, i, j] > 0.5 else "black")
        ax.set_xticks(range(6), WORDS)
        ax.set_yticks(range(6), WORDS)
        ax.set_xlabel("key (attended to)")
        ax.set_ylabel("query (attending)")
        ax.set_title(f"Head {head}: causal attention weights", fontsize=10.5, weight="bold")
    ax = axes[2]
    image = ax.imshow(similarity, cmap="RdBu_r")
    fig.colorbar(image, ax=ax, fraction=0.046)
    ax.set_xlabel("position j")
    ax.set_ylabel("position i")
    ax.set_title("Sinusoidal positions: dot product of\nvectors i and j (d = 32)",
                 fontsize=10.5, weight="bold")
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1])
