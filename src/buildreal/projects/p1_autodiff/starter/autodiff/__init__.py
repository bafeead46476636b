"""Your autodiff engine. `buildreal project check p1-autodiff` imports this package."""

from .engine import Tensor, cross_entropy
from .gradcheck import numerical_gradient
from .graph import to_dot
from .nn import MLP, SGD, Linear

__all__ = ["MLP", "SGD", "Linear", "Tensor", "cross_entropy", "numerical_gradient", "to_dot"]
