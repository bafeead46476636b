"""Finite-difference gradients, the independent referee for any autodiff engine."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """df/dx by central differences, (f(x+eps) - f(x-eps)) / 2eps, one entry at a time.

    Central differences have error O(eps²) rather than O(eps) for the one-sided kind; in
    float64, eps near 1e-6 balances that error against rounding.
    """
    x = np.array(x, dtype=np.float64)  # a private copy: we poke at its entries
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = float(f(x))
        flat[i] = keep - eps
        down = float(f(x))
        flat[i] = keep
        gflat[i] = (up - down) / (2.0 * eps)
    return grad


def max_relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a-b| / max(1, |a|, |b|): absolute near zero, relative for large values."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size == 0:
        return 0.0
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return float(np.max(np.abs(a - b) / scale))
