"""Six update rules on NumPy parameter vectors, written to match torch.optim exactly.

Each optimizer keeps its own state (velocity, running averages, step count) and exposes
``lr`` so a schedule can change it between steps. ``step(params, grad)`` returns the new
parameters and leaves its arguments untouched.
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    """Base class: the learning rate and a step counter."""

    name = "optimizer"

    def __init__(self, lr: float) -> None:
        if lr <= 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        self.lr = lr
        self.t = 0  # steps taken

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class SGD(Optimizer):
    """p ← p − lr·(g + wd·p)."""

    name = "sgd"

    def __init__(self, lr: float = 0.01, weight_decay: float = 0.0) -> None:
        super().__init__(lr)
        self.weight_decay = weight_decay

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t += 1
        g = grad + self.weight_decay * params if self.weight_decay else grad
        return params - self.lr * g


class Momentum(Optimizer):
    """Heavy ball, PyTorch's form: v ← μ·v + g, p ← p − lr·v (v starts as the first g).

    The velocity sums past gradients, so directions that agree step after step build up
    speed while directions that flip sign (across a ravine) cancel.
    """

    name = "momentum"
    nesterov = False

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = momentum
        self.velocity: np.ndarray | None = None

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t += 1
        if self.velocity is None:
            self.velocity = grad.copy()
        else:
            self.velocity = self.momentum * self.velocity + grad
        direction = grad + self.momentum * self.velocity if self.nesterov else self.velocity
        return params - self.lr * direction


class Nesterov(Momentum):
    """Nesterov momentum as torch.optim.SGD(nesterov=True) computes it: step along
    g + μ·v, a look-ahead that brakes before overshooting (Sutskever et al., 2013)."""

    name = "nesterov"
    nesterov = True


class RMSprop(Optimizer):
    """s ← α·s + (1−α)·g², p ← p − lr·g / (√s + eps) (Hinton, Coursera lecture 6e)."""

    name = "rmsprop"

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.alpha, self.eps = alpha, eps
        self.square_avg: np.ndarray | None = None

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t += 1
        if self.square_avg is None:
            self.square_avg = np.zeros_like(params)
        self.square_avg = self.alpha * self.square_avg + (1.0 - self.alpha) * grad * grad
        return params - self.lr * grad / (np.sqrt(self.square_avg) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015, Algorithm 1), with PyTorch's placement of eps:
    p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps). ``weight_decay`` here is L2: added to
    the gradient, so it is rescaled by the adaptive denominator like any gradient."""

    name = "adam"

    def __init__(
        self,
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None

    def _adam_step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t += 1
        if self.m is None or self.v is None:
            self.m, self.v = np.zeros_like(params), np.zeros_like(params)
        self.m = self.beta1 * self.m + (1.0 - self.beta1) * grad
        self.v = self.beta2 * self.v + (1.0 - self.beta2) * grad * grad
        # Both averages start at zero, so early on they underestimate; dividing by
        # 1 − βᵗ undoes that bias (the paper's section 3).
        bias1 = 1.0 - self.beta1**self.t
        bias2 = 1.0 - self.beta2**self.t
        denom = np.sqrt(self.v) / np.sqrt(bias2) + self.eps
        return params - (self.lr / bias1) * self.m / denom

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        g = grad + self.weight_decay * params if self.weight_decay else grad
        return self._adam_step(params, g)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019): shrink the
    parameters by lr·wd directly, outside the adaptive scaling, then take an Adam step."""

    name = "adamw"

    def __init__(
        self,
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
    ) -> None:
        super().__init__(lr, betas, eps, weight_decay=0.0)
        self.decoupled_decay = weight_decay

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        decayed = params * (1.0 - self.lr * self.decoupled_decay)
        return self._adam_step(decayed, grad)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSprop, Adam, AdamW)
}
