"""Finite differences: the referee that tells you whether your gradients are right."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       eps: float = 1e-6) -> np.ndarray:
    """df/dx for a function of one array, by central differences, one entry at a time:
    (f(x + eps·e_i) - f(x - eps·e_i)) / (2·eps). Returns an array shaped like x.

    Work on a copy of x, and put every entry back after nudging it.
    """
    raise NotImplementedError("TODO: numerical_gradient")
