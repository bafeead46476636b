"""Figure for lesson 3: one 3x3 filter sliding over a small image.

Why: "a filter slides over the image" is easier to believe when you can see the window,
the nine weights, and the map of responses they produce. The filter is a vertical-edge
detector; the same nine weights are used at every position (weight sharing).

Usage: python conv_filter.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.patches as patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def convolve_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlation with no padding, as deep learning libraries compute 'convolution'."""
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))  # (H-2, W-2)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def main(out_path: str) -> None:
    image = np.zeros((10, 10))
    image[2:8, 3:7] = 1.0  # a bright rectangle on a dark background
    kernel = np.array([[-1.0, 0.0, 1.0]] * 3)  # responds to dark-to-bright, left to right
    response = convolve_valid(image, kernel)  # (8, 8)

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8),
                             gridspec_kw={"width_ratios": [10, 4, 8]})
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1)
    axes[0].add_patch(patches.Rectangle((1.5, 3.5), 3, 3, fill=False, ec="tab:red", lw=2.5))
    axes[0].annotate("", xy=(6.2, 5.0), xytext=(4.6, 5.0),
                     arrowprops={"arrowstyle": "->", "color": "tab:red", "lw": 2})
    axes[0].set_title("Input image with the 3x3 window")
    axes[1].imshow(kernel, cmap="coolwarm", vmin=-1, vmax=1)
    for (r, c), v in np.ndenumerate(kernel):
        axes[1].text(c, r, f"{v:+.0f}", ha="center", va="center", fontsize=12)
    axes[1].set_title("Filter: 9 shared weights")
    shown = axes[2].imshow(response, cmap="coolwarm", vmin=-3, vmax=3)
    axes[2].add_patch(patches.Rectangle((1.5, 3.5), 1, 1, fill=False, ec="tab:red", lw=2.5))
    axes[2].set_title("Response map: edges light up")
    fig.colorbar(shown, ax=axes[2], fraction=0.046)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
