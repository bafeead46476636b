"""The operations Project 1's checks exercise, and their inputs.

Shared by the probes (which apply each case to the learner's ``Tensor``) and the judges
(which apply it to PyTorch): both draw the same arrays from the same seeded generator,
so only the learner's results need to cross the sandbox boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Case:
    name: str
    shapes: tuple[tuple[int, ...], ...]  # one per input
    out_shape: tuple[int, ...]
    low: float = -2.0
    high: float = 2.0


OPS = (
    Case("add", ((3, 4), (3, 4)), (3, 4)),
    Case("sub", ((3, 4), (3, 4)), (3, 4)),
    Case("mul", ((3, 4), (3, 4)), (3, 4)),
    Case("div", ((3, 4), (3, 4)), (3, 4), 0.5, 2.0),
    Case("neg", ((3, 4),), (3, 4)),
    Case("pow (a**3)", ((3, 4),), (3, 4)),
    Case("pow (a**-1.5)", ((3, 4),), (3, 4), 0.5, 2.0),
    Case("numbers on the left (2 - a, 3 / b)", ((3, 4), (3, 4)), (3, 4), 0.5, 2.0),
    Case("matmul", ((3, 4), (4, 5)), (3, 5)),
    Case("exp", ((3, 4),), (3, 4)),
    Case("log", ((3, 4),), (3, 4), 0.2, 3.0),
    Case("tanh", ((3, 4),), (3, 4)),
    Case("sigmoid", ((3, 4),), (3, 4)),
    Case("relu", ((3, 4),), (3, 4)),
    Case("sum", ((3, 4),), ()),
    Case("sum(axis=1)", ((3, 4),), (3,)),
    Case("sum(axis=0, keepdims=True)", ((3, 4),), (1, 4)),
    Case("mean", ((3, 4),), ()),
    Case("mean(axis=0)", ((3, 4),), (4,)),
    Case("reshape", ((3, 4),), (2, 6)),
    Case("transpose", ((3, 4),), (4, 3)),
    Case("indexing (slice)", ((3, 4),), (2, 2)),
    Case("indexing (row picked twice)", ((3, 4),), (3, 4)),
    Case("cross_entropy", ((5, 3),), ()),
)

BROADCAST = (
    Case("add (3,4) + (4,)", ((3, 4), (4,)), (3, 4)),
    Case("sub (2,3,4) - (3,1)", ((2, 3, 4), (3, 1)), (2, 3, 4)),
    Case("mul (3,1) * (1,4)", ((3, 1), (1, 4)), (3, 4)),
    Case("div (3,4) / (4,)", ((3, 4), (4,)), (3, 4), 0.5, 2.0),
    Case("bias add (5,3) + (3,) after matmul", ((5, 2), (2, 3), (3,)), (5, 3)),
)

CE_TARGETS = np.array([0, 2, 1, 2, 0])  # class indices for a (5, 3) batch of logits


def draw(cases: tuple[Case, ...], seed: int = 1234) -> list[tuple[list[np.ndarray], np.ndarray]]:
    """For each case: its input arrays and the upstream gradient fed to backward."""
    rng = np.random.default_rng(seed)
    drawn = []
    for case in cases:
        arrays = [rng.uniform(case.low, case.high, shape) for shape in case.shapes]
        if case.name == "relu":  # keep away from the kink, where the derivative is undefined
            arrays = [np.where(np.abs(a) < 0.1, 0.5, a) for a in arrays]
        upstream = rng.uniform(0.5, 1.5, case.out_shape)  # not all ones: a lost factor shows
        drawn.append((arrays, upstream))
    return drawn


def finite_difference_inputs() -> list[tuple[str, list[np.ndarray]]]:
    """The toy expressions of the finite-difference item, with their inputs."""
    rng = np.random.default_rng(7)
    w = rng.normal(size=(3, 2))
    return [
        ("(a*b + c)**2", [np.array(2.0), np.array(-3.0), np.array(10.0)]),
        ("tanh(x @ W + b).sum()", [rng.normal(size=(4, 3)), w, rng.normal(size=(2,))]),
        ("((sigmoid(x) - y)**2).mean()", [rng.normal(size=(5,)), rng.uniform(size=(5,))]),
        ("(log(x) * exp(-x) / y).sum()", [rng.uniform(0.5, 2, (3,)), rng.uniform(1, 2, (3,))]),
    ]


FD_POINT = np.array([[0.3, -1.2], [2.0, 0.7]])  # where numerical_gradient is tested
CE_LARGE_LOGITS = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 999.0],
                            [-800.0, -805.0, -790.0]])
CE_LARGE_TARGETS = np.array([0, 2, 1])
MLP_STEPS = 300
