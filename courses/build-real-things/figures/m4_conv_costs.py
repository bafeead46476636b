"""Figure for Module 4, lesson 1: what parameter sharing saves, and how far a stack sees.

Why: the two numbers that make convolution the default for images are computed here,
not drawn from memory. Left: weights needed to map an n-by-n grey image to an n-by-n
feature map with a fully connected layer (n^4 weights) against one 3x3 filter (9
weights, whatever n is). Right: the receptive field of stacked 3x3 convolutions, by the
usual recursion r_l = r_{l-1} + (k - 1) * j_{l-1}, j_l = j_{l-1} * stride, with every
layer at stride 1, and with a stride-2 layer every other layer.

Usage: python m4_conv_costs.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def receptive_fields(depth: int, kernel: int, strides: list[int]) -> list[int]:
    """Receptive field (in input pixels) after each of ``depth`` layers."""
    field, jump, fields = 1, 1, []
    for layer in range(depth):
        field += (kernel - 1) * jump
        jump *= strides[layer]
        fields.append(field)
    return fields


def main(out_path: str) -> None:
    sizes = [16, 32, 64, 128, 256, 512]
    dense = [float(n) ** 4 for n in sizes]          # every output pixel sees every input pixel
    conv = [9.0 for _ in sizes]                     # one shared 3x3 filter
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(sizes, dense, "o-", label="fully connected, n² → n²")
    left.plot(sizes, conv, "s-", label="one 3×3 filter, shared")
    left.set_xscale("log", base=2)
    left.set_yscale("log")
    left.set_xlabel("image side n (pixels)")
    left.set_ylabel("weights")
    left.set_title(f"256×256: {256 ** 4:.1e} weights vs 9")
    left.legend(fontsize=8)
    depth = 10
    plain = receptive_fields(depth, 3, [1] * depth)
    strided = receptive_fields(depth, 3, [2 if i % 2 else 1 for i in range(depth)])
    layers = list(range(1, depth + 1))
    right.plot(layers, plain, "o-", label="3×3, stride 1")
    right.plot(layers, strided, "s-", label="3×3, stride 2 every other layer")
    right.set_xlabel("layers stacked")
    right.set_ylabel("receptive field (pixels per side)")
    right.set_title(f"after {depth} layers: {plain[-1]} vs {strided[-1]} pixels")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
