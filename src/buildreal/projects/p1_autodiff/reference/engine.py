"""A reverse-mode automatic differentiation engine on NumPy arrays.

Every operation makes a new :class:`Tensor` that remembers its parents and a small
closure, ``_backward(g)``, that turns the gradient of the output ``g`` into gradient
contributions for each parent (the local chain rule). :meth:`Tensor.backward` orders the
graph so that a node runs its closure only after every node that uses it has run (reverse
topological order), and contributions to a node are summed, so a value used twice gets
the gradient from both paths. The design follows Goodfellow et al., Deep Learning, §6.5.

Performance notes (see benchmarks/autodiff.py): tensors use ``__slots__``; a gradient is
stored by reference the first time it arrives and only added to later (no zero arrays);
constants and inputs marked ``requires_grad=False`` never receive gradient work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

ArrayLike = Any  # anything np.asarray accepts
Backward = Callable[[np.ndarray], None]


def _as_array(data: ArrayLike) -> np.ndarray:
    if type(data) is np.ndarray and data.dtype == np.float64:
        return data
    return np.asarray(data, dtype=np.float64)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` back to ``shape``: NumPy broadcasting copied the input along some
    axes in the forward pass, so its gradient is the sum over those copies."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:  # leading axes that the input did not have at all
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:  # axes of length 1 that were stretched
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


class Tensor:
    """An array in a computation graph; ``.grad`` holds dL/d(this) after ``backward``."""

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_backward", "op", "label")
    __array_priority__ = 100.0  # make ndarray * Tensor call Tensor.__rmul__

    def __init__(
        self,
        data: ArrayLike,
        requires_grad: bool = True,
        _parents: tuple[Tensor, ...] = (),
        op: str = "",
        label: str = "",
    ) -> None:
        self.data: np.ndarray = _as_array(data)
        self.grad: np.ndarray | None = None
        self.requires_grad = requires_grad
        self._parents = _parents
        self._backward: Backward | None = None
        self.op = op
        self.label = label

    # --- plumbing ---------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def __repr__(self) -> str:
        name = f" {self.label!r}" if self.label else ""
        return f"Tensor{name}(shape={self.shape}, op={self.op or 'leaf'!r})"

    def _accumulate(self, g: np.ndarray) -> None:
        # First arrival is stored as is; later ones make a new array rather than adding in
        # place, because the first may be shared with a sibling (add passes g to both).
        self.grad = g if self.grad is None else self.grad + g

    def _child(self, data: np.ndarray, parents: tuple[Tensor, ...], op: str) -> Tensor:
        out = Tensor.__new__(Tensor)
        out.data = data
        out.grad = None
        out.requires_grad = any(p.requires_grad for p in parents)
        out._parents = parents
        out._backward = None
        out.op = op
        out.label = ""
        return out

    def zero_grad(self) -> None:
        self.grad = None

    # --- the backward pass ------------------------------------------------------------
    def topological_order(self) -> list[Tensor]:
        """Nodes that lead to this one, each after all of its parents (iterative DFS, so
        a deep graph cannot hit Python's recursion limit)."""
        order: list[Tensor] = []
        seen: set[int] = set()
        stack: list[tuple[Tensor, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent in node._parents:
                if parent.requires_grad and id(parent) not in seen:
                    stack.append((parent, False))
        return order

    def backward(self, grad: ArrayLike | None = None) -> None:
        """Fill ``.grad`` of every node this one depends on. ``grad`` seeds dL/d(self)
        (ones when omitted, so ``loss.backward()`` works for a scalar loss)."""
        seed = np.ones_like(self.data) if grad is None else _as_array(grad)
        if seed.shape != self.data.shape:
            raise ValueError(f"backward: seed gradient shape {seed.shape} does not match "
                             f"the tensor's shape {self.data.shape}")
        self._accumulate(seed)
        for node in reversed(self.topological_order()):
            if node._backward is not None and node.grad is not None:
                node._backward(node.grad)

    # --- elementwise arithmetic (broadcasting) ---------------------------------------
    def __add__(self, other: ArrayLike) -> Tensor:
        o = _lift(other)
        out = self._child(self.data + o.data, (self, o), "+")

        def _backward(g: np.ndarray) -> None:
            if self.requires_grad:
                self._accumulate(unbroadcast(g, self.data.shape))
            if o.requires_grad:
                o._accumulate(unbroadcast(g, o.data.shape))

        out._backward = _backward
        return out

    def __sub__(self, other: ArrayLike) -> Tensor:
        o = _lift(other)
        out = self._child(self.data - o.data, (self, o), "-")

        def _backward(g: np.ndarray) -> None:
            if self.requires_grad:
                self._accumulate(unbroadcast(g, self.data.shape))
            if o.requires_grad:
                o._accumulate(unbroadcast(-g, o.data.shape))

        out._backward = _backward
        return out

    def __mul__(self, other: ArrayLike) -> Tensor:
        o = _lift(other)
        out = self._child(self.data * o.data, (self, o), "*")

        def _backward(g: np.ndarray) -> None:
            if self.requires_grad:
                self._accumulate(unbroadcast(g * o.data, self.data.shape))
            if o.requires_grad:
                o._accumulate(unbroadcast(g * self.data, o.data.shape))

        out._backward = _backward
        return out

    def __truediv__(self, other: ArrayLike) -> Tensor:
        o = _lift(other)
        out = self._child(self.data / o.data, (self, o), "/")

        def _backward(g: np.ndarray) -> None:
            if self.requires_grad:  # d(a/b)/da = 1/b
                self._accumulate(unbroadcast(g / o.data, self.data.shape))
            if o.requires_grad:  # d(a/b)/db = -a/b²
                o._accumulate(unbroadcast(-g * self.data / (o.data * o.data), o.data.shape))

        out._backward = _backward
        return out

    def __neg__(self) -> Tensor:
        out = self._child(-self.data, (self,), "neg")
        out._backward = lambda g: self._accumulate(-g)
        return out

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor):
            raise TypeError("pow: the exponent must be a number, not a Tensor")
        p = float(exponent)
        out = self._child(self.data**p, (self,), f"**{p:g}")
        out._backward = lambda g: self._accumulate(g * p * self.data ** (p - 1.0))
        return out

    def __radd__(self, other: ArrayLike) -> Tensor:
        return self + other

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return _lift(other) - self

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return self * other

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return _lift(other) / self

    # --- linear algebra -------------------------------------------------------------
    def __matmul__(self, other: ArrayLike) -> Tensor:
        o = _lift(other)
        if self.ndim < 2 or o.ndim < 2:
            raise ValueError(f"matmul needs 2-D (or batched) operands, got {self.shape} @ "
                             f"{o.shape}; reshape vectors to (1, n) or (n, 1)")
        out = self._child(self.data @ o.data, (self, o), "@")

        def _backward(g: np.ndarray) -> None:
            # out = A @ B: dA = g @ Bᵀ, dB = Aᵀ @ g (batched dims summed back if broadcast)
            if self.requires_grad:
                self._accumulate(unbroadcast(g @ o.data.swapaxes(-1, -2), self.data.shape))
            if o.requires_grad:
                o._accumulate(unbroadcast(self.data.swapaxes(-1, -2) @ g, o.data.shape))

        out._backward = _backward
        return out

    # --- elementwise functions -----------------------------------------------------
    def exp(self) -> Tensor:
        e = np.exp(self.data)
        out = self._child(e, (self,), "exp")
        out._backward = lambda g: self._accumulate(g * e)
        return out

    def log(self) -> Tensor:
        out = self._child(np.log(self.data), (self,), "log")
        out._backward = lambda g: self._accumulate(g / self.data)
        return out

    def tanh(self) -> Tensor:
        t = np.tanh(self.data)
        out = self._child(t, (self,), "tanh")
        out._backward = lambda g: self._accumulate(g * (1.0 - t * t))
        return out

    def sigmoid(self) -> Tensor:
        # 1/(1+e^-x) written via tanh, which cannot overflow for large |x|
        s = 0.5 * (np.tanh(0.5 * self.data) + 1.0)
        out = self._child(s, (self,), "sigmoid")
        out._backward = lambda g: self._accumulate(g * s * (1.0 - s))
        return out

    def relu(self) -> Tensor:
        mask = self.data > 0
        out = self._child(self.data * mask, (self,), "relu")
        out._backward = lambda g: self._accumulate(g * mask)
        return out

    # --- reductions ---------------------------------------------------------------
    def sum(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        out = self._child(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")
        shape = self.data.shape

        def _backward(g: np.ndarray) -> None:
            if axis is not None and not keepdims:
                g = np.expand_dims(g, _normalize_axes(axis, len(shape)))
            self._accumulate(np.broadcast_to(g, shape))

        out._backward = _backward
        return out

    def mean(self, axis: int | Sequence[int] | None = None, keepdims: bool = False) -> Tensor:
        data = self.data.mean(axis=axis, keepdims=keepdims)
        out = self._child(np.asarray(data), (self,), "mean")
        shape = self.data.shape
        count = self.data.size // max(np.asarray(data).size, 1)

        def _backward(g: np.ndarray) -> None:
            if axis is not None and not keepdims:
                g = np.expand_dims(g, _normalize_axes(axis, len(shape)))
            self._accumulate(np.broadcast_to(g / count, shape))

        out._backward = _backward
        return out

    # --- shape ----------------------------------------------------------------------
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        new_shape = tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int) \
            else shape
        old = self.data.shape
        out = self._child(self.data.reshape(new_shape), (self,), "reshape")
        out._backward = lambda g: self._accumulate(g.reshape(old))
        return out

    def transpose(self, axes: Sequence[int] | None = None) -> Tensor:
        out = self._child(self.data.transpose(axes), (self,), "transpose")
        inverse = None if axes is None else tuple(np.argsort(axes))
        out._backward = lambda g: self._accumulate(g.transpose(inverse))
        return out

    @property
    def T(self) -> Tensor:  # noqa: N802 - NumPy's name
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        if isinstance(index, Tensor):
            index = index.data.astype(np.intp)
        out = self._child(np.asarray(self.data[index]), (self,), "index")
        shape = self.data.shape

        def _backward(g: np.ndarray) -> None:
            full = np.zeros(shape)
            np.add.at(full, index, g)  # add.at, so an index picked twice gets both
            self._accumulate(full)

        out._backward = _backward
        return out


def _lift(x: ArrayLike) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x, requires_grad=False)


def _normalize_axes(axis: int | Sequence[int], ndim: int) -> tuple[int, ...]:
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes))


def cross_entropy(logits: Tensor, targets: ArrayLike) -> Tensor:
    """Mean softmax cross-entropy of ``logits`` (N, C) against class indices (N,).

    Computed with log-sum-exp after subtracting each row's maximum, so logits of 1000
    give a finite loss; the gradient is (softmax - one_hot) / N.
    """
    x = logits.data  # (N, C)
    t = np.asarray(targets, dtype=np.intp).reshape(-1)  # (N,)
    if x.ndim != 2 or t.shape[0] != x.shape[0]:
        raise ValueError(f"cross_entropy: logits must be (N, C) and targets (N,), got "
                         f"{x.shape} and {np.shape(targets)}")
    n = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)  # (N, C), every row's max is 0
    log_z = np.log(np.exp(shifted).sum(axis=1))  # (N,)
    rows = np.arange(n)
    loss = (log_z - shifted[rows, t]).mean()
    out = logits._child(np.asarray(loss), (logits,), "cross_entropy")

    def _backward(g: np.ndarray) -> None:
        probs = np.exp(shifted - log_z[:, None])  # (N, C) softmax
        probs[rows, t] -= 1.0
        logits._accumulate(probs * (g / n))

    out._backward = _backward
    return out
