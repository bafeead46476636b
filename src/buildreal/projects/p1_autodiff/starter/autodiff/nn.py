"""Layers and an optimizer on top of your Tensor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .engine import Tensor


class Linear:
    """y = x @ W + b with W of shape (n_in, n_out) and b of shape (n_out,).

    Initialise W and b uniformly in ±1/sqrt(n_in) using `rng` (PyTorch's choice).
    """

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator | None = None) -> None:
        rng = rng or np.random.default_rng(0)
        raise NotImplementedError("TODO: Linear.__init__")

    def __call__(self, x: Tensor) -> Tensor:
        raise NotImplementedError("TODO: Linear.__call__")

    def parameters(self) -> list[Tensor]:
        raise NotImplementedError("TODO: Linear.parameters")


class MLP:
    """Linear layers for `sizes` (e.g. [2, 16, 16, 2]) with tanh between them and no
    activation after the last layer (it returns logits)."""

    def __init__(self, sizes: Sequence[int], rng: np.random.Generator | None = None) -> None:
        rng = rng or np.random.default_rng(0)
        raise NotImplementedError("TODO: MLP.__init__")

    def __call__(self, x: Tensor) -> Tensor:
        raise NotImplementedError("TODO: MLP.__call__")

    def parameters(self) -> list[Tensor]:
        raise NotImplementedError("TODO: MLP.parameters")


class SGD:
    """p <- p - lr * p.grad for every parameter; zero_grad() clears the gradients."""

    def __init__(self, params: Iterable[Tensor], lr: float = 0.1) -> None:
        self.params = list(params)
        self.lr = lr

    def step(self) -> None:
        raise NotImplementedError("TODO: SGD.step")

    def zero_grad(self) -> None:
        raise NotImplementedError("TODO: SGD.zero_grad")
