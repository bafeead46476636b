"""Figure for Module 3, lesson 1: how a (3, 1) column and a (1, 4) row broadcast to (3, 4).

Why: broadcasting is easiest to believe when you see the size-1 axes stretched. The
numbers drawn are computed with PyTorch, so the picture cannot disagree with the code in
the lesson.

Usage: python m3_broadcasting.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402


def draw_grid(ax, values: torch.Tensor, x0: float, y0: float, title: str,
              stretched: torch.Tensor | None = None) -> None:
    """Draw a 2-D tensor as labelled cells; cells flagged in ``stretched`` are pale copies."""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            pale = bool(stretched[r, c]) if stretched is not None else False
            face = "#eeeeee" if pale else "#cfe3f5"
            ax.add_patch(plt.Rectangle((x0 + c, y0 - r), 1, 1, facecolor=face,
                                       edgecolor="0.3", lw=1))
            ax.text(x0 + c + 0.5, y0 - r + 0.5, f"{values[r, c]:g}", ha="center",
                    va="center", fontsize=9, color="0.5" if pale else "black")
    ax.text(x0 + cols / 2, y0 + 1.35, title, ha="center", fontsize=10)


def main(out_path: str) -> None:
    heights = torch.tensor([[150.0], [165.0], [180.0]])  # (3, 1)
    offsets = torch.tensor([[-2.0, 0.0, 2.0, 4.0]])       # (1, 4)
    grid = heights + offsets                               # (3, 4)
    h_big, o_big = torch.broadcast_tensors(heights, offsets)  # both (3, 4)
    copies_h = torch.ones(3, 4, dtype=torch.bool)
    copies_h[:, 0] = False                                 # column 0 is the original
    copies_o = torch.ones(3, 4, dtype=torch.bool)
    copies_o[0, :] = False                                 # row 0 is the original

    fig, ax = plt.subplots(figsize=(10, 3.2))
    draw_grid(ax, h_big, 0, 2, "heights (3, 1)\nstretched along columns", copies_h)
    ax.text(4.6, 1.0, "+", fontsize=18, ha="center", va="center")
    draw_grid(ax, o_big, 5.2, 2, "offsets (1, 4)\nstretched along rows", copies_o)
    ax.text(9.8, 1.0, "=", fontsize=18, ha="center", va="center")
    draw_grid(ax, grid, 10.4, 2, "result (3, 4)")
    ax.set_xlim(-0.3, 14.7)
    ax.set_ylim(-0.3, 3.9)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.text(0.5, 0.02, "Grey cells are not stored: PyTorch reuses the original row or "
             "column instead of copying it.", ha="center", fontsize=8, color="0.35")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
