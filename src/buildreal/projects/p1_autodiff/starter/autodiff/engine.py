"""A reverse-mode autodiff engine on NumPy arrays: the heart of Project 1.

Every operation returns a new Tensor that remembers its parents and a small function,
`_backward(g)`, which receives dL/d(output) and adds each parent's share to `parent.grad`.
`backward()` then runs those functions from the output back to the inputs.

Work through the TODOs top to bottom; `python example.py` exercises what you have so far
and `buildreal project check p1-autodiff .` tells you which operation is still wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` down to `shape`.

    NumPy broadcasting copies an input along some axes (a (4,) bias added to (3, 4)
    activations is used 3 times), so the input's gradient is the sum over those copies.
    Sum away the leading axes the input did not have, then the axes where it had length 1.
    """
    # TODO: return grad summed back to `shape`
    raise NotImplementedError("TODO: unbroadcast")


class Tensor:
    """An array in a computation graph; after `backward`, `.grad` holds dL/d(this)."""

    def __init__(self, data: Any, requires_grad: bool = True,
                 _parents: tuple[Tensor, ...] = (), op: str = "") -> None:
        self.data = np.asarray(data, dtype=np.float64)
        self.grad: np.ndarray | None = None  # filled in by backward()
        self.requires_grad = requires_grad
        self._parents = _parents
        self._backward = None  # set by the op that created this tensor
        self.op = op

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def __repr__(self) -> str:
        return f"Tensor(shape={self.shape}, op={self.op or 'leaf'!r})"

    # --- the backward pass -----------------------------------------------------------
    def backward(self, grad: np.ndarray | None = None) -> None:
        """Fill `.grad` of every tensor this one depends on.

        `grad` is dL/d(self); use ones of this tensor's shape when it is None. Visit the
        nodes in reverse topological order (a node only after every node that uses it) and
        call each node's `_backward`. Gradients arriving at a node from several paths must
        be ADDED, never overwritten.
        """
        # TODO: build a topological order of the graph (depth-first search over _parents)
        # TODO: seed self.grad, then call _backward on each node in reverse order
        raise NotImplementedError("TODO: Tensor.backward")

    # --- arithmetic (inputs may broadcast) ---------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        """self + other. Example of the pattern every op follows."""
        other = other if isinstance(other, Tensor) else Tensor(other, requires_grad=False)
        out = Tensor(self.data + other.data, _parents=(self, other), op="+")

        def _backward(g: np.ndarray) -> None:
            # TODO: add unbroadcast(g, ...) to self.grad and to other.grad
            raise NotImplementedError("TODO: backward of +")

        out._backward = _backward
        return out

    def __sub__(self, other: Any) -> Tensor:
        """self - other."""
        raise NotImplementedError("TODO: -")

    def __mul__(self, other: Any) -> Tensor:
        """self * other (elementwise)."""
        raise NotImplementedError("TODO: *")

    def __truediv__(self, other: Any) -> Tensor:
        """self / other (elementwise)."""
        raise NotImplementedError("TODO: /")

    def __neg__(self) -> Tensor:
        """-self."""
        raise NotImplementedError("TODO: neg")

    def __pow__(self, exponent: float) -> Tensor:
        """self ** exponent, for a plain number exponent."""
        raise NotImplementedError("TODO: **")

    # Numbers on the left: 2 - x, 3 / x, 2 * x, 1 + x.
    def __radd__(self, other: Any) -> Tensor:
        return self + other

    def __rmul__(self, other: Any) -> Tensor:
        return self * other

    def __rsub__(self, other: Any) -> Tensor:
        return Tensor(other, requires_grad=False) - self

    def __rtruediv__(self, other: Any) -> Tensor:
        return Tensor(other, requires_grad=False) / self

    def __matmul__(self, other: Any) -> Tensor:
        """self @ other for 2-D arrays: (n, k) @ (k, m) -> (n, m)."""
        raise NotImplementedError("TODO: @")

    # --- elementwise functions ---------------------------------------------------------
    def exp(self) -> Tensor:
        raise NotImplementedError("TODO: exp")

    def log(self) -> Tensor:
        raise NotImplementedError("TODO: log")

    def tanh(self) -> Tensor:
        raise NotImplementedError("TODO: tanh")

    def sigmoid(self) -> Tensor:
        raise NotImplementedError("TODO: sigmoid")

    def relu(self) -> Tensor:
        raise NotImplementedError("TODO: relu")

    # --- reductions and shapes ---------------------------------------------------------
    def sum(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Sum over `axis` (all axes when None), like np.sum."""
        raise NotImplementedError("TODO: sum")

    def mean(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Mean over `axis` (all axes when None), like np.mean."""
        raise NotImplementedError("TODO: mean")

    def reshape(self, *shape: int) -> Tensor:
        raise NotImplementedError("TODO: reshape")

    def transpose(self) -> Tensor:
        """Reverse the axes, like ndarray.transpose()."""
        raise NotImplementedError("TODO: transpose")

    def __getitem__(self, index: Any) -> Tensor:
        """x[1:, ::2] or x[[0, 2, 0]]. Hint: np.add.at handles an index picked twice."""
        raise NotImplementedError("TODO: indexing")


def cross_entropy(logits: Tensor, targets: Any) -> Tensor:
    """Mean softmax cross-entropy of logits (N, C) against integer classes (N,).

    Make it stable: subtract each row's maximum before exp (log-sum-exp), so logits of
    1000 do not overflow. One node with its own backward is simplest; its gradient is
    (softmax(logits) - one_hot(targets)) / N.
    """
    raise NotImplementedError("TODO: cross_entropy")
