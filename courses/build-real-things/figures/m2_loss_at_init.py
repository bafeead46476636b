"""Figure for Module 2, lesson 2: two facts about losses you can check in seconds.

Why: (left) a freshly initialised classifier should start at a loss of about ln C,
because its near-equal logits give every class probability 1/C. The script builds real
networks for 5 and 10 classes, multiplies the output layer's initial weights by a growing
factor (what unscaled inputs or a careless initialisation do), and measures the loss
before any training. (right) Squared error lets one bad point dominate: a line is fitted
to the same data by minimising mean squared error and mean absolute error, with one
corrupted label.

Usage: python m2_loss_at_init.py OUTPUT_PATH
"""

import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


def initial_loss(classes: int, scale: float, seed: int = 0) -> float:
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(200, 64), torch.nn.ReLU(),
                              torch.nn.Linear(64, classes))
    with torch.no_grad():
        net[2].weight.mul_(scale)  # (classes, 64) a larger output layer at initialisation
    x = torch.randn(2000, 200)  # (2000, 200) standardised inputs
    y = torch.arange(2000) % classes  # balanced labels
    with torch.no_grad():
        return torch.nn.functional.cross_entropy(net(x), y).item()


def fit_line(x: torch.Tensor, y: torch.Tensor, loss: str) -> tuple[float, float]:
    w = torch.zeros(2, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.05)
    for _ in range(1500):
        err = w[0] * x + w[1] - y
        value = (err ** 2).mean() if loss == "mse" else err.abs().mean()
        opt.zero_grad()
        value.backward()
        opt.step()
    return w[0].item(), w[1].item()


def main(out_path: str) -> None:
    torch.set_num_threads(1)
    scales = [0.25, 0.5, 1, 2, 4, 8, 16, 32]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for classes, colour in ((5, "tab:blue"), (10, "tab:orange")):
        losses = [initial_loss(classes, s) for s in scales]
        left.plot(scales, losses, "o-", color=colour, label=f"{classes} classes, measured")
        left.axhline(math.log(classes), color=colour, ls="--", lw=1)
        left.annotate(f"ln {classes} = {math.log(classes):.2f}", (0.25, math.log(classes)),
                      xytext=(0, 4), textcoords="offset points", fontsize=8, color=colour)
    left.set_xscale("log", base=2)
    left.set_xlabel("output-layer weights x factor (1 = PyTorch default)")
    left.set_ylabel("cross-entropy before training")
    left.set_title("Loss at initialisation")
    left.legend(fontsize=8, loc="upper left")

    gen = torch.Generator().manual_seed(1)
    x = torch.linspace(0, 10, 30)
    y = 2.0 * x + 1.0 + 0.8 * torch.randn(30, generator=gen)
    y[25] = -30.0  # one corrupted label
    right.scatter(x.numpy(), y.numpy(), s=14, color="0.3", label="data (one corrupted)")
    grid = np.linspace(0, 10, 50)
    for loss, colour, name in (("mse", "tab:red", "mean squared error"),
                               ("mae", "tab:green", "mean absolute error")):
        slope, bias = fit_line(x, y, loss)
        right.plot(grid, slope * grid + bias, color=colour,
                   label=f"fit by {name}: slope {slope:.2f}")
    right.set_title("One bad label vs two losses (true slope 2)")
    right.set_xlabel("x")
    right.set_ylabel("y")
    right.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
