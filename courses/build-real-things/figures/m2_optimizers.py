"""Figure for Module 2, lesson 3: three optimisers in a ravine, and Adam's learning rate.

Why: (left) on a bowl that is 25 times steeper in one direction than the other, plain
gradient descent must keep its step small enough for the steep direction and so crawls
along the shallow one; momentum and Adam get down the valley in far fewer steps. The
paths are computed by running the update rules. (right) Adam is a good first try, not a
tuning-free one: the same small network is trained on the same data with Adam at learning
rates from 1e-5 to 1, and the final training loss is measured for each.

Usage: python m2_optimizers.py OUTPUT_PATH
"""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

CURVE = np.array([1.0, 25.0])  # curvature along w1 and w2: a long, narrow valley


def grad(w: np.ndarray) -> np.ndarray:
    return CURVE * w  # gradient of 0.5 * (w1^2 + 25 w2^2)


def path(rule: str, steps: int = 40) -> np.ndarray:
    w = np.array([-9.0, 1.5])
    v = np.zeros(2)
    m = np.zeros(2)
    s = np.zeros(2)
    points = [w.copy()]
    for t in range(1, steps + 1):
        g = grad(w)
        if rule == "gd":
            w = w - 0.07 * g
        elif rule == "momentum":
            v = 0.8 * v + g
            w = w - 0.03 * v
        else:  # Adam with its usual betas
            m = 0.9 * m + 0.1 * g
            s = 0.999 * s + 0.001 * g ** 2
            w = w - 0.3 * (m / (1 - 0.9 ** t)) / (np.sqrt(s / (1 - 0.999 ** t)) + 1e-8)
        points.append(w.copy())
    return np.array(points)


def task(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(seed)
    x = torch.randn(512, 20)  # (512, 20)
    y = (x[:, :5].sum(dim=1) > 0).long() + (x[:, 5] > 0.5).long()  # (512,) 3 classes
    return x, y


def final_loss(lr: float, seed: int = 0) -> float:
    """Training loss of a 3-hidden-layer ReLU net after 300 Adam steps on batches of 64."""
    x, y = task(seed)
    width = 128
    net = torch.nn.Sequential(torch.nn.Linear(20, width), torch.nn.ReLU(),
                              torch.nn.Linear(width, width), torch.nn.ReLU(),
                              torch.nn.Linear(width, width), torch.nn.ReLU(),
                              torch.nn.Linear(width, 3))
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(300):
        idx = torch.randint(0, len(x), (64,), generator=gen)  # (64,) one mini-batch
        loss = torch.nn.functional.cross_entropy(net(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        value = torch.nn.functional.cross_entropy(net(x), y).item()
    return value if np.isfinite(value) else 10.0


def main(out_path: str) -> None:
    torch.set_num_threads(1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    g1, g2 = np.meshgrid(np.linspace(-10, 2, 200), np.linspace(-2.5, 2.5, 200))
    left.contour(g1, g2, 0.5 * (g1 ** 2 + 25 * g2 ** 2), levels=12, colors="0.8", linewidths=0.7)
    for rule, colour, name in (("gd", "tab:red", "gradient descent"),
                               ("momentum", "tab:blue", "momentum"),
                               ("adam", "tab:green", "Adam")):
        p = path(rule)
        left.plot(p[:, 0], p[:, 1], ".-", color=colour, lw=1, ms=3,
                  label=f"{name}: distance left after 40 steps {np.linalg.norm(p[-1]):.2f}")
    left.plot(0, 0, "k*", ms=10)
    left.set_title("40 steps down a narrow valley")
    left.set_xlabel("w1 (shallow direction)")
    left.set_ylabel("w2 (steep direction)")
    left.legend(fontsize=7, loc="lower right")

    rates = [1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0]
    right.loglog(rates, [final_loss(r) for r in rates], "o-", color="tab:green")
    _, y = task()
    freq = torch.bincount(y).double() / len(y)
    chance = float(-(freq * freq.log()).sum())  # loss of always predicting the class mix
    right.axhline(chance, color="0.5", ls="--", lw=1)
    right.annotate("predicting the class mix: learned nothing", (1e-5, chance), xytext=(0, -12),
                   textcoords="offset points", fontsize=8)
    right.set_xlabel("Adam learning rate (log scale)")
    right.set_ylabel("training loss after 300 steps")
    right.set_title("Adam: same network and data, only the learning rate changes", fontsize=10)
    fig.tight_layout()
    fig.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1])
