"""Two-dimensional loss surfaces with known minima, each with its analytic gradient.

``value`` works on any array whose last axis holds (x, y), so one call fills a contour
grid of shape (H, W, 2); ``gradient`` takes one point (2,).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Surface:
    name: str
    formula: str
    start: tuple[float, float]  # every optimizer starts here (plus the seed's jitter)
    minimum: float  # the lowest value the surface reaches
    minimizers: tuple[tuple[float, float], ...]
    bounds: tuple[tuple[float, float], tuple[float, float]]  # plot window (x, y)
    feature: str  # what the surface is here to show

    def value(self, p: np.ndarray) -> np.ndarray:
        x, y = np.asarray(p, dtype=np.float64)[..., 0], np.asarray(p, dtype=np.float64)[..., 1]
        return _VALUE[self.name](x, y)

    def gradient(self, p: np.ndarray) -> np.ndarray:
        x, y = float(p[0]), float(p[1])
        return np.array(_GRAD[self.name](x, y), dtype=np.float64)


def _rosenbrock(x, y):  # noqa: ANN001, ANN202 - arrays or floats alike
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(x: float, y: float) -> tuple[float, float]:
    return (-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x))


def _himmelblau(x, y):  # noqa: ANN001, ANN202
    return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2


def _himmelblau_grad(x: float, y: float) -> tuple[float, float]:
    a, b = x * x + y - 11.0, x + y * y - 7.0
    return (4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b)


def _beale(x, y):  # noqa: ANN001, ANN202
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
            + (2.625 - x + x * y**3) ** 2)


def _beale_grad(x: float, y: float) -> tuple[float, float]:
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y**2
    c = 2.625 - x + x * y**3
    dx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    dy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return (dx, dy)


def _saddle(x, y):  # noqa: ANN001, ANN202
    return x * x + 0.25 * y**4 - 0.5 * y * y


def _saddle_grad(x: float, y: float) -> tuple[float, float]:
    return (2.0 * x, y**3 - y)


def _ill_conditioned(x, y):  # noqa: ANN001, ANN202
    return 0.5 * (x * x + 50.0 * y * y)


def _ill_conditioned_grad(x: float, y: float) -> tuple[float, float]:
    return (x, 50.0 * y)


_VALUE = {"rosenbrock": _rosenbrock, "himmelblau": _himmelblau, "beale": _beale,
          "saddle": _saddle, "ill_conditioned": _ill_conditioned}
_GRAD = {"rosenbrock": _rosenbrock_grad, "himmelblau": _himmelblau_grad, "beale": _beale_grad,
         "saddle": _saddle_grad, "ill_conditioned": _ill_conditioned_grad}

SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface("rosenbrock", "(1 - x)² + 100 (y - x²)²", (-1.2, 1.0), 0.0, ((1.0, 1.0),),
                ((-2.0, 2.0), (-1.0, 3.0)),
                "a curved, flat-bottomed valley: easy to fall into, slow to follow"),
        Surface("himmelblau", "(x² + y - 11)² + (x + y² - 7)²", (0.0, -1.0), 0.0,
                ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                 (3.584428, -1.848126)),
                ((-5.0, 5.0), (-5.0, 5.0)),
                "four equal minima: which one an optimizer reaches depends on its path"),
        Surface("beale", "(1.5 - x + xy)² + (2.25 - x + xy²)² + (2.625 - x + xy³)²",
                (1.0, 1.5), 0.0, ((3.0, 0.5),), ((-4.5, 4.5), (-4.5, 4.5)),
                "plateaus and steep walls: gradients range over orders of magnitude"),
        Surface("saddle", "x² + y⁴/4 - y²/2", (1.5, 1e-3), -0.25, ((0.0, 1.0), (0.0, -1.0)),
                ((-2.0, 2.0), (-2.0, 2.0)),
                "a saddle at the origin: the gradient vanishes where there is no minimum"),
        Surface("ill_conditioned", "(x² + 50 y²) / 2", (-4.0, 1.0), 0.0, ((0.0, 0.0),),
                ((-5.0, 5.0), (-1.5, 1.5)),
                "curvature 50 times larger along y than x: a ravine"),
    )
}
