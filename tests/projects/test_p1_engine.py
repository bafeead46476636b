"""The reference autodiff engine against trusted referees: PyTorch autograd on random
expressions that use every operation, and central finite differences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from buildreal.projects.p1_autodiff.data import spirals, two_moons
from buildreal.projects.p1_autodiff.demo import main as demo_main
from buildreal.projects.p1_autodiff.reference import (
    MLP,
    SGD,
    Tensor,
    cross_entropy,
    numerical_gradient,
    to_dot,
    unbroadcast,
)

# Each op maps a (3, 4) node to a (3, 4) node, in both worlds; ``k`` is a leaf of the
# right shape for binary ops. Written twice on purpose: one side is the engine, the other
# the referee.
Pair = tuple[Any, Any]
UNARY: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "neg": (lambda x: -x, lambda x: -x),
    "exp(tanh)": (lambda x: x.tanh().exp(), lambda x: x.tanh().exp()),
    "log(x²+1)": (lambda x: (x * x + 1.0).log(), lambda x: (x * x + 1.0).log()),
    "tanh": (lambda x: x.tanh(), lambda x: x.tanh()),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: x.sigmoid()),
    "relu": (lambda x: x.relu(), lambda x: x.relu()),
    "pow3": (lambda x: x**3, lambda x: x**3),
    "reshape-transpose": (lambda x: x.reshape(4, 3).transpose().reshape(3, 4),
                          lambda x: x.reshape(4, 3).T.reshape(3, 4)),
    "index rows": (lambda x: x[[2, 0, 0]], lambda x: x[[2, 0, 0]]),
    "slice, row sums, add": (lambda x: x[:, 1:].sum(axis=1, keepdims=True) + x,
                          lambda x: x[:, 1:].sum(dim=1, keepdim=True) + x),
    "mean over rows": (lambda x: x - x.mean(axis=0), lambda x: x - x.mean(dim=0)),
    "rdiv": (lambda x: 1.0 / (x * x + 1.0), lambda x: 1.0 / (x * x + 1.0)),
}
BINARY: dict[str, tuple[tuple[int, ...], Callable[..., Any], Callable[..., Any]]] = {
    "add": ((3, 4), lambda x, k: x + k, lambda x, k: x + k),
    "sub broadcast": ((4,), lambda x, k: x - k, lambda x, k: x - k),
    "mul broadcast": ((3, 1), lambda x, k: x * k, lambda x, k: x * k),
    "div": ((1, 4), lambda x, k: x / (k * k + 0.5), lambda x, k: x / (k * k + 0.5)),
    "matmul": ((4, 4), lambda x, k: x @ k, lambda x, k: x @ k),
}


def _random_expression(seed: int) -> tuple[list[np.ndarray], Callable[..., Any],
                                           Callable[..., Any], list[str]]:
    """A chain of 6 random ops over a (3, 4) input, ending in a scalar loss."""
    rng = np.random.default_rng(seed)
    steps: list[tuple[str, str]] = []
    leaves = [rng.normal(size=(3, 4))]
    for _ in range(6):
        if rng.random() < 0.5:
            steps.append(("u", str(rng.choice(list(UNARY)))))
        else:
            name = str(rng.choice(list(BINARY)))
            steps.append(("b", name))
            leaves.append(rng.normal(size=BINARY[name][0]))
    targets = rng.integers(0, 4, 3)
    reduce_kind = int(rng.integers(0, 3))

    def build(side: int, *xs: Any) -> Any:
        node, k = xs[0], 1
        for kind, name in steps:
            if kind == "u":
                node = UNARY[name][side](node)
            else:
                node = BINARY[name][1 + side](node, xs[k])
                k += 1
        if reduce_kind == 0:
            return node.sum()
        if reduce_kind == 1:
            return (node.mean(axis=1) ** 2).sum() if side == 0 else (node.mean(dim=1) ** 2).sum()
        if side == 0:
            return cross_entropy(node, targets)
        return torch.nn.functional.cross_entropy(node, torch.as_tensor(targets))

    ours = lambda *xs: build(0, *xs)  # noqa: E731
    theirs = lambda *xs: build(1, *xs)  # noqa: E731
    return leaves, ours, theirs, [n for _, n in steps]


@pytest.mark.parametrize("seed", range(40))
def test_random_expressions_get_the_same_gradients_as_pytorch(seed: int) -> None:
    leaves, ours, theirs, ops = _random_expression(seed)
    mine = [Tensor(a.copy()) for a in leaves]
    ref = [torch.tensor(a, requires_grad=True) for a in leaves]
    out, expected = ours(*mine), theirs(*ref)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-9, atol=1e-12)
    out.backward()
    expected.backward()
    for m, r in zip(mine, ref, strict=True):
        np.testing.assert_allclose(m.grad, r.grad.numpy(), rtol=1e-8, atol=1e-10,
                                   err_msg=f"ops {ops}")


def test_the_random_expressions_cover_every_operation() -> None:
    used = {op for seed in range(40) for op in _random_expression(seed)[3]}
    assert used == set(UNARY) | set(BINARY)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_each_unary_op_matches_finite_differences(name: str) -> None:
    x0 = np.random.default_rng(3).normal(size=(3, 4))
    x0 = np.where(np.abs(x0) < 0.05, 0.3, x0)  # away from relu's kink
    weights = np.random.default_rng(4).normal(size=(3, 4))
    op = UNARY[name][0]
    x = Tensor(x0.copy())
    (op(x) * weights).sum().backward()
    fd = numerical_gradient(lambda v: float((op(Tensor(v)) * weights).sum().data), x0)
    np.testing.assert_allclose(x.grad, fd, atol=1e-6)


def test_a_value_used_twice_receives_both_contributions() -> None:
    x = Tensor(np.array([0.5, -1.0, 2.0]))
    (x * x + x).sum().backward()
    np.testing.assert_allclose(x.grad, 2 * x.data + 1)


def test_backward_walks_a_chain_deeper_than_the_recursion_limit() -> None:
    x = Tensor(np.array([0.1]))
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1.0001**5000])


def test_inputs_marked_constant_receive_no_gradient() -> None:
    x = Tensor(np.ones((2, 2)), requires_grad=False)
    w = Tensor(np.ones((2, 2)))
    (x @ w).sum().backward()
    assert x.grad is None and w.grad is not None


def test_cross_entropy_is_exact_for_huge_logits() -> None:
    logits = np.array([[1000.0, -1000.0, 0.0], [5.0, 5.0, 995.0]])
    mine = Tensor(logits.copy())
    loss = cross_entropy(mine, [1, 2])
    loss.backward()
    ref = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(ref, torch.tensor([1, 2]))
    expected.backward()
    assert np.isfinite(loss.data)
    np.testing.assert_allclose(loss.data, expected.item())
    np.testing.assert_allclose(mine.grad, ref.grad.numpy(), atol=1e-12)


def test_unbroadcast_sums_over_leading_and_stretched_axes() -> None:
    g = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_allclose(unbroadcast(g, (4,)), g.sum(axis=(0, 1)))
    np.testing.assert_allclose(unbroadcast(g, (3, 1)), g.sum(axis=(0, 2)).reshape(3, 1))
    assert unbroadcast(g, (2, 3, 4)) is g


def test_to_dot_draws_the_traced_graph_with_its_gradients() -> None:
    a, b, c = Tensor(2.0, label="a"), Tensor(-3.0, label="b"), Tensor(10.0, label="c")
    loss = (a * b + c) ** 2
    loss.backward()
    text = to_dot(loss)
    assert text.startswith("digraph")
    assert text.count("shape=record") == 6  # a, b, c, a*b, a*b + c, L
    assert text.count("shape=ellipse") == 3  # *, +, **2
    assert text.count("->") == 8
    for label in ("a | 2 | grad -24", "b | -3 | grad 16", "c | 10 | grad 8"):
        assert label in text


def test_a_tiny_mlp_learns_two_moons() -> None:
    x, y = two_moons(200, 0.15, np.random.default_rng(0))
    model = MLP([2, 16, 16, 2], rng=np.random.default_rng(0))
    opt = SGD(model.parameters(), lr=0.5)
    inputs = Tensor(x, requires_grad=False)
    losses = []
    for _ in range(200):
        loss = cross_entropy(model(inputs), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.data))
    accuracy = (model(inputs).data.argmax(axis=1) == y).mean()
    assert losses[-1] < 0.3 * losses[0]
    assert accuracy > 0.9


def test_toy_data_sets_are_balanced_and_reproducible() -> None:
    x1, y1 = two_moons(101, 0.1, np.random.default_rng(5))
    x2, y2 = two_moons(101, 0.1, np.random.default_rng(5))
    assert x1.shape == (101, 2) and np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert abs(int(y1.sum()) - 50) <= 1
    xs, ys = spirals(90, 0.1, np.random.default_rng(0), classes=3)
    assert xs.shape == (90, 2) and np.bincount(ys).tolist() == [30, 30, 30]


def test_the_demo_prints_a_falling_loss_and_writes_its_plot_and_graph(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plot, dot = tmp_path / "boundary.png", tmp_path / "graph.dot"
    assert demo_main(["--steps", "120", "--every", "30", "--plot", str(plot),
                      "--dot", str(dot)]) == 0
    lines = capsys.readouterr().out.splitlines()
    losses = [float(line.split()[1]) for line in lines if line.startswith("loss: ")]
    assert len(losses) == 5 and losses[-1] < losses[0]
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert "grad -24" in dot.read_text(encoding="utf-8")
