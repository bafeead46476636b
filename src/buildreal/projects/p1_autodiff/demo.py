"""``run_autodiff_demo``: train a tiny MLP with the reference engine and watch the loss fall.

Prints ``loss: 0.693``-style lines as training goes, the final accuracy, and writes a
decision-boundary plot; ``--dot`` also writes the graph of L = (a*b + c)**2 as Graphviz.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from buildreal.projects.p1_autodiff.data import spirals, two_moons
from buildreal.projects.p1_autodiff.reference import MLP, SGD, Tensor, cross_entropy, to_dot


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="run_autodiff_demo", description=__doc__.splitlines()[0])
    p.add_argument("--dataset", choices=("moons", "spirals"), default="moons")
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--hidden", type=int, default=16, help="units in each of two hidden layers")
    p.add_argument("--steps", type=int, default=400, help="full-batch SGD steps")
    p.add_argument("--lr", type=float, default=0.5)
    p.add_argument("--every", type=int, default=40, help="print the loss every N steps")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--plot", type=Path, default=Path("autodiff_decision_boundary.png"),
                   help="where to write the decision-boundary plot (PNG or SVG)")
    p.add_argument("--no-plot", action="store_true", help="skip the plot")
    p.add_argument("--dot", type=Path, default=None,
                   help="also write the graph of L = (a*b + c)**2 as Graphviz dot text")
    return p.parse_args(argv)


def train(
    x: np.ndarray, y: np.ndarray, hidden: int, steps: int, lr: float, seed: int,
    every: int = 0, log=print,  # noqa: ANN001 - any print-like callable
) -> tuple[MLP, list[float]]:
    """Full-batch training; returns the model and the loss at every step."""
    classes = int(y.max()) + 1
    model = MLP([x.shape[1], hidden, hidden, classes], rng=np.random.default_rng(seed))
    opt = SGD(model.parameters(), lr=lr)
    inputs = Tensor(x, requires_grad=False)  # (N, 2)
    losses = []
    for step in range(steps):
        loss = cross_entropy(model(inputs), y)  # logits (N, classes) -> scalar
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.data))
        if every and (step % every == 0 or step == steps - 1):
            log(f"loss: {losses[-1]:.2f}")
    return model, losses


def accuracy(model: MLP, x: np.ndarray, y: np.ndarray) -> float:
    logits = model(Tensor(x, requires_grad=False)).data  # (N, classes)
    return float((logits.argmax(axis=1) == y).mean())


def plot_boundary(model: MLP, x: np.ndarray, y: np.ndarray, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pad = 0.5
    gx, gy = np.meshgrid(
        np.linspace(x[:, 0].min() - pad, x[:, 0].max() + pad, 200),
        np.linspace(x[:, 1].min() - pad, x[:, 1].max() + pad, 200),
    )
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)  # (40000, 2)
    pred = model(Tensor(grid, requires_grad=False)).data.argmax(axis=1).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(gx, gy, pred, alpha=0.25, cmap="coolwarm")
    ax.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", s=12, edgecolors="k", linewidths=0.3)
    ax.set_title("Decision boundary of the tiny MLP")
    ax.set_xticks([])
    ax.set_yticks([])
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def trace_graph() -> str:
    """The notes' example, L = (a*b + c)**2 at a=2, b=-3, c=10, with gradients filled in."""
    a, b, c = Tensor(2.0, label="a"), Tensor(-3.0, label="b"), Tensor(10.0, label="c")
    ab = a * b
    ab.label = "a*b"
    u = ab + c
    u.label = "u"
    loss = u**2
    loss.label = "L"
    loss.backward()
    return to_dot(loss)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    if args.dataset == "moons":
        x, y = two_moons(args.samples, 0.15, rng)
    else:
        x, y = spirals(args.samples, 0.1, rng)
    model, _ = train(x, y, args.hidden, args.steps, args.lr, args.seed, every=args.every)
    print(f"accuracy: {accuracy(model, x, y):.2f}")
    if not args.no_plot:
        plot_boundary(model, x, y, args.plot)
        print(f"plot: {args.plot}")
    if args.dot:
        args.dot.write_text(trace_graph(), encoding="utf-8")
        print(f"graph: {args.dot} (render with: dot -Tsvg {args.dot} -o graph.svg)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
