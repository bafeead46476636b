"""Figure for Module 3, lesson 3: a learning-rate range test on a small classifier.

Why: the range test (Leslie Smith, "Cyclical Learning Rates for Training Neural
Networks", arXiv:1506.01186) turns "which learning rate?" into one short run: raise the
rate a little every step and watch where the loss falls fastest and where it blows up.
This is a real run of the lesson's 20-feature, 10-class model, seeded, on the CPU.

Usage: python m3_lr_range.py OUTPUT_PATH
"""

import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


def range_test(steps: int = 150, low: float = 1e-4,
               high: float = 10.0) -> list[tuple[float, float]]:
    """(learning rate, smoothed loss) per step, stopping once the loss has blown up."""
    torch.manual_seed(0)
    features = torch.randn(2000, 20)                           # (2000, 20)
    labels = (features @ torch.randn(20, 10)).argmax(dim=1)    # (2000,) classes 0..9
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 10))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=low, momentum=0.9)
    sampler = torch.Generator().manual_seed(1)
    history: list[tuple[float, float]] = []
    smooth = None
    for lr in torch.logspace(math.log10(low), math.log10(high), steps).tolist():
        for group in optimizer.param_groups:
            group["lr"] = lr
        batch = torch.randint(0, len(features), (64,), generator=sampler)
        optimizer.zero_grad()
        loss = loss_fn(model(features[batch]), labels[batch])
        loss.backward()
        optimizer.step()
        # An exponential moving average: single mini-batch losses are too noisy to read.
        smooth = loss.item() if smooth is None else 0.9 * smooth + 0.1 * loss.item()
        history.append((lr, smooth))
        if not math.isfinite(loss.item()) or smooth > 4 * math.log(10):
            break
    return history


def main(out_path: str) -> None:
    history = range_test()
    lrs = [lr for lr, _ in history]
    losses = [loss for _, loss in history]
    best = min(range(len(losses)), key=losses.__getitem__)
    pick = lrs[best] / 10

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.semilogx(lrs, losses, color="tab:blue")
    ax.axhline(math.log(10), color="0.6", ls=":", lw=1)
    ax.text(lrs[0], math.log(10) + 0.08, "ln 10: a model that guesses uniformly", fontsize=8,
            color="0.4")
    ax.axvline(lrs[best], color="tab:red", ls="--", lw=1)
    ax.text(lrs[best] * 1.1, 3.6, f"lowest loss\nat {lrs[best]:.2f}", fontsize=8, color="tab:red")
    ax.axvline(pick, color="tab:green", ls="--", lw=1)
    ax.text(pick * 1.1, 3.6, f"a safe pick:\n{pick:.3f} (a tenth)", fontsize=8, color="tab:green")
    ax.set_ylim(0, 4.5)
    ax.set_xlabel("learning rate (raised a little every step, log scale)")
    ax.set_ylabel("training loss (smoothed)")
    ax.set_title("Learning-rate range test: one short run, 150 steps or fewer")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
