"""Six update rules. Each keeps its own state; `step(params, grad)` returns new params.

The checker feeds your optimizers and torch.optim the same gradients for 1,000 steps in
float64 and expects the same parameters to within 1e-6, so follow PyTorch's formulas
exactly (its documentation for torch.optim.SGD, RMSprop, Adam and AdamW prints them).
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    name = "optimizer"

    def __init__(self, lr: float) -> None:
        self.lr = lr  # a schedule may change this between steps
        self.t = 0  # steps taken so far

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class SGD(Optimizer):
    """p ← p − lr·(g + wd·p). Done for you: the pattern for the others. Weight decay
    here is torch.optim's: an L2 term added to the gradient, pulling p towards zero."""

    name = "sgd"

    def __init__(self, lr: float = 0.01, weight_decay: float = 0.0) -> None:
        super().__init__(lr)
        self.weight_decay = weight_decay

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self.t += 1
        g = grad + self.weight_decay * params if self.weight_decay else grad
        return params - self.lr * g


class Momentum(Optimizer):
    """Heavy-ball momentum as torch.optim.SGD(momentum=μ) does it: v ← μ·v + g (v is the
    first gradient on step 1), p ← p − lr·v."""

    name = "momentum"

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = momentum
        # TODO: state for the velocity

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TODO: Momentum.step")


class Nesterov(Optimizer):
    """torch.optim.SGD(momentum=μ, nesterov=True): v as in Momentum, but step along
    g + μ·v."""

    name = "nesterov"

    def __init__(self, lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = momentum

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TODO: Nesterov.step")


class RMSprop(Optimizer):
    """s ← α·s + (1−α)·g², p ← p − lr·g / (√s + eps), with s starting at zero."""

    name = "rmsprop"

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.alpha, self.eps = alpha, eps

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TODO: RMSprop.step")


class Adam(Optimizer):
    """Adam: running averages m of g and v of g², both bias-corrected by 1 − βᵗ, and
    p ← p − lr · m̂ / (√v̂ + eps). ``weight_decay`` is torch.optim.Adam's: wd·p added to
    the gradient before the averages (L2), unlike AdamW's decoupled decay."""

    name = "adam"

    def __init__(self, lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.weight_decay = weight_decay

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TODO: Adam.step")


class AdamW(Optimizer):
    """Adam with decoupled weight decay: first p ← p·(1 − lr·wd), then the Adam step on
    the plain gradient (the decay never enters m or v)."""

    name = "adamw"

    def __init__(self, lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.01) -> None:
        super().__init__(lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.weight_decay = weight_decay

    def step(self, params: np.ndarray, grad: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TODO: AdamW.step")


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, RMSprop, Adam, AdamW)
}
