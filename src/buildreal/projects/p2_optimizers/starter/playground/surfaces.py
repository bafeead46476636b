"""Five 2-D loss surfaces. `value` works on arrays whose last axis is (x, y), so one call
can fill a contour grid; `gradient` takes one point and returns (∂f/∂x, ∂f/∂y)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Surface:
    name: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]  # f(x, y), elementwise
    df: Callable[[float, float], tuple[float, float]]  # analytic gradient
    start: tuple[float, float]
    minimum: float  # the lowest value on the surface
    minimizers: tuple[tuple[float, float], ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]  # plot window

    def value(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=np.float64)
        return self.f(p[..., 0], p[..., 1])

    def gradient(self, p: np.ndarray) -> np.ndarray:
        return np.array(self.df(float(p[0]), float(p[1])))


# Rosenbrock is done for you: (1 - x)² + 100 (y - x²)², minimum 0 at (1, 1).
ROSENBROCK = Surface(
    "rosenbrock",
    lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
    start=(-1.2, 1.0), minimum=0.0, minimizers=((1.0, 1.0),), bounds=((-2, 2), (-1, 3)),
)

# TODO: Himmelblau (x² + y - 11)² + (x + y² - 7)², start (0, -1), four minima of value 0
#       (3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126).
# TODO: Beale (1.5 - x + xy)² + (2.25 - x + xy²)² + (2.625 - x + xy³)², start (1, 1.5),
#       minimum 0 at (3, 0.5).
# TODO: saddle x² + y⁴/4 - y²/2, start (1.5, 0.001), minimum -0.25 at (0, ±1), a saddle
#       at (0, 0).
# TODO: ill_conditioned (x² + 50 y²) / 2, start (-4, 1), minimum 0 at (0, 0).

SURFACES: dict[str, Surface] = {s.name: s for s in (ROSENBROCK,)}
