"""Chapter 4, noise in a comparison: one model's uncertainty against a paired difference.

Run as ``python figures/ch4_paired_comparison.py OUTPUT_PATH``. It rebuilds the chapter's
example (1,000 test examples; model B fixes 12 of model A's errors and breaks 2 of its
right answers, a gain of one point) and bootstraps the test set 5,000 times. Left: the
bootstrap distributions of each model's accuracy, resampled separately; they overlap
heavily, which is what one model's standard error sees. Right: the distribution of the
paired difference, resampling examples with both models' answers kept together; it
sits almost entirely above zero.
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

N, FIXES, BREAKS, ROUNDS = 1000, 12, 2, 5000


def answers(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(A right?, B right?) per example, (N,) each."""
    a = rng.random(N) < 0.90
    b = a.copy()
    b[rng.choice(np.flatnonzero(~a), FIXES, replace=False)] = True
    b[rng.choice(np.flatnonzero(a), BREAKS, replace=False)] = False
    return a, b


def main(out: str) -> None:
    rng = np.random.default_rng(0)
    a, b = answers(rng)
    separate_a = a[rng.integers(0, N, size=(ROUNDS, N))].mean(axis=1)
    separate_b = b[rng.integers(0, N, size=(ROUNDS, N))].mean(axis=1)
    idx = rng.integers(0, N, size=(ROUNDS, N))
    paired = (b[idx].astype(float) - a[idx].astype(float)).mean(axis=1)

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.6))
    bins = np.linspace(0.86, 0.95, 46)
    left.hist(separate_a, bins=bins, alpha=0.6, color="#b03030",
              label=f"model A ({a.mean():.1%})")
    left.hist(separate_b, bins=bins, alpha=0.6, color="#2c5aa0",
              label=f"model B ({b.mean():.1%})")
    left.set_xlabel("test accuracy (bootstrap, each model resampled on its own)")
    left.set_ylabel("bootstrap samples")
    left.set_title("Each model's accuracy: wide, overlapping", fontsize=10.5, weight="bold")
    left.legend()
    share = (paired > 0).mean()
    right.hist(paired * 100, bins=np.arange(-1.05, 2.6, 0.1), color="#1e7b3a", alpha=0.8)
    right.axvline(0, color="black", lw=1)
    right.set_xlabel("accuracy of B minus A, in points (same examples resampled together)")
    right.set_ylabel("bootstrap samples")
    right.set_title(f"The paired difference: above zero in {share:.1%} of samples",
                    fontsize=10.5, weight="bold")
    fig.tight_layout()
    fig.savefig(out)


if __name__ == "__main__":
    main(sys.argv[1])
