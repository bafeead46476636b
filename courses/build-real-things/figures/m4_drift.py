"""Figure for Module 4, lesson 7: data drift and concept drift look different to monitors.

Why: an input monitor and an accuracy monitor answer different questions. A fixed
classifier (the true boundary at deployment, x1 + x2 > 0, with label noise) is scored
month by month on seeded simulated traffic. In "data drift" the inputs move along the
boundary while the rule linking inputs to labels stays the same; in "concept drift" the
inputs stay the same while the rule rotates. The population stability index (PSI) of
feature x1 against month 0 and the model's accuracy are computed for each month.

Usage: python m4_drift.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

MONTHS, N = 13, 4000


def psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    """Population stability index over the reference's deciles."""
    edges = np.quantile(reference, np.linspace(0, 1, bins + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    ref = np.histogram(reference, edges)[0] / len(reference) + 1e-6
    cur = np.histogram(current, edges)[0] / len(current) + 1e-6
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def month(rng: np.random.Generator, shift: float, angle: float):
    """Traffic of one month: inputs shifted along the boundary by ``shift``; the true
    boundary rotated by ``angle`` radians."""
    x = rng.normal(0.0, 1.0, (N, 2)) + shift * np.array([1.0, -1.0])
    w = np.array([np.cos(np.pi / 4 + angle), np.sin(np.pi / 4 + angle)])
    y = (x @ w + rng.normal(0.0, 0.1, N)) > 0
    return x, y


def main(out_path: str) -> None:
    rng = np.random.default_rng(0)
    reference, _ = month(rng, 0.0, 0.0)
    results = {}
    for name, shift_per, angle_per in (("data drift", 0.12, 0.0),
                                       ("concept drift", 0.0, 0.06)):
        accs, psis = [], []
        for t in range(MONTHS):
            x, y = month(rng, shift_per * t, angle_per * t)
            pred = x.sum(axis=1) > 0                    # the deployed model never changes
            accs.append((pred == y).mean())
            psis.append(psi(reference[:, 0], x[:, 0]))
        results[name] = (accs, psis)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, (accs, psis) in results.items():
        left.plot(range(MONTHS), psis, "o-", label=name)
        right.plot(range(MONTHS), accs, "o-", label=name)
    left.axhline(0.25, color="0.5", ls=":", lw=1)
    left.text(0, 0.27, "PSI 0.25: a common 'investigate' level", fontsize=8, color="0.4")
    left.set_title("input monitor: PSI of x1 against month 0")
    left.set_xlabel("month since deployment")
    right.set_title("accuracy (needs labels, which arrive late)")
    right.set_xlabel("month since deployment")
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
