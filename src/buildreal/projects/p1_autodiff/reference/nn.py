"""Layers and an optimizer built on the engine: Linear, MLP, SGD."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .engine import Tensor


class Linear:
    """y = x @ W + b, with W (n_in, n_out) and b (n_out,), initialised like PyTorch's
    nn.Linear: uniform in ±1/sqrt(n_in), which keeps early activations out of saturation."""

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator | None = None) -> None:
        rng = rng or np.random.default_rng(0)
        bound = 1.0 / np.sqrt(n_in)
        self.weight = Tensor(rng.uniform(-bound, bound, (n_in, n_out)), label="W")
        self.bias = Tensor(rng.uniform(-bound, bound, (n_out,)), label="b")

    def __call__(self, x: Tensor) -> Tensor:
        return x @ self.weight + self.bias  # (N, n_in) @ (n_in, n_out) + (n_out,)

    def parameters(self) -> list[Tensor]:
        return [self.weight, self.bias]


class MLP:
    """Linear layers with an activation between them (none after the last: it returns
    logits or a regression output)."""

    def __init__(
        self,
        sizes: Sequence[int],
        rng: np.random.Generator | None = None,
        activation: str = "tanh",
    ) -> None:
        if len(sizes) < 2:
            raise ValueError(f"MLP needs at least an input and an output size, got {sizes}")
        if activation not in ("tanh", "relu", "sigmoid"):
            raise ValueError(f"unknown activation {activation!r}; use tanh, relu or sigmoid")
        rng = rng or np.random.default_rng(0)
        self.layers = [Linear(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        self.activation = activation

    def __call__(self, x: Tensor) -> Tensor:
        for layer in self.layers[:-1]:
            x = getattr(layer(x), self.activation)()
        return self.layers[-1](x)

    def parameters(self) -> list[Tensor]:
        return [p for layer in self.layers for p in layer.parameters()]


class SGD:
    """Plain stochastic gradient descent: p ← p − lr · ∂L/∂p."""

    def __init__(self, params: Iterable[Tensor], lr: float = 0.1) -> None:
        self.params = list(params)
        self.lr = lr

    def step(self) -> None:
        for p in self.params:
            if p.grad is not None:
                p.data -= self.lr * p.grad  # in place: the layer keeps the same array

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None
