"""Figure for Module 4, lesson 4: what 16-bit formats keep and lose.

Why: mixed precision is safe only where the numbers fit the format. Values from 1e-10 to
1e6 are cast to float16 and bfloat16 by PyTorch itself, and the relative error of each
cast is plotted. float16 keeps about three decimal digits but underflows below about
6e-8 (to zero) and overflows above 65,504 (to infinity); bfloat16 covers float32's range
with only about two to three digits. Small gradients in float16 are what loss scaling
rescues.

Usage: python m4_precision_range.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402


def relative_error(values: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """|cast - exact| / exact, capped at 1 (0 and inf count as total loss)."""
    cast = values.to(dtype).to(torch.float64)
    err = ((cast - values) / values).abs()
    return torch.nan_to_num(err, nan=1.0, posinf=1.0).clamp(max=1.0)


def main(out_path: str) -> None:
    values = torch.logspace(-10, 6, 2001, dtype=torch.float64)   # (2001,)
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for dtype, label in ((torch.float16, "float16"), (torch.bfloat16, "bfloat16"),
                         (torch.float32, "float32")):
        err = relative_error(values, dtype).clamp(min=1e-10)
        ax.loglog(values, err, label=label, lw=1)
    ax.axvline(65504, color="0.5", ls=":", lw=1)
    ax.text(65504 * 1.3, 1e-9, "float16 max\n65,504", fontsize=8, color="0.3")
    ax.axvline(2 ** -24, color="0.5", ls=":", lw=1)
    ax.text(2 ** -24 * 1.3, 1e-9, "smallest float16\n≈ 6e-8", fontsize=8, color="0.3")
    ax.set_xlabel("value")
    ax.set_ylabel("relative error of the cast (1 = lost)")
    ax.set_title("Casting to 16 bits: float16 loses range, bfloat16 loses digits")
    ax.legend(fontsize=8, loc="center left")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
