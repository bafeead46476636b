"""Figure for Module 4, lesson 3: what grows with n² in attention, and what grows with n.

Why: two different memory costs are often confused. Materialising one attention score
matrix takes n² numbers per head and layer, which is why naive attention runs out of
memory on long inputs (fused kernels such as FlashAttention avoid storing it, but still
do the n² work). At inference a decoder also keeps keys and values for every earlier
token, the KV cache, which grows linearly with n but is multiplied by layers and width.
The model dimensions are those of a Llama-2-7B-style decoder (32 layers, model width
4096, 32 heads, 16-bit numbers), stated in its paper; the sums are computed here.

Usage: python m4_attention_memory.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LAYERS, WIDTH, HEADS, BYTES = 32, 4096, 32, 2
GIB = 2 ** 30


def score_matrices_gib(n: int) -> float:
    """All heads' n-by-n score matrices for one layer, stored naively."""
    return HEADS * n * n * BYTES / GIB


def kv_cache_gib(n: int) -> float:
    """Keys and values for n tokens, every layer."""
    return 2 * LAYERS * WIDTH * n * BYTES / GIB


def main(out_path: str) -> None:
    lengths = [2 ** k for k in range(10, 18)]   # 1,024 to 131,072 tokens
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.loglog(lengths, [score_matrices_gib(n) for n in lengths], "o-",
              label="score matrices, one layer, all heads (∝ n²)")
    ax.loglog(lengths, [kv_cache_gib(n) for n in lengths], "s-",
              label="KV cache, all 32 layers (∝ n)")
    ax.axhline(80, color="0.5", ls=":", lw=1)
    ax.text(lengths[0], 95, "80 GB accelerator", fontsize=8, color="0.4")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("tokens in context (n)")
    ax.set_ylabel("GiB (16-bit numbers)")
    n = 4096
    ax.set_title(f"At n={n}: scores {score_matrices_gib(n):.0f} GiB per layer, "
                 f"KV cache {kv_cache_gib(n):.0f} GiB")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
