"""Project 1's probes: run in the sandbox, they apply the checks' cases to the learner's
``autodiff`` package and return values and gradients as arrays. No verdicts here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from buildreal.projects.p1_autodiff import cases as C
from buildreal.projects.p1_autodiff.data import two_moons
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import learner_frame


def _value(t: Any) -> np.ndarray:
    return np.asarray(getattr(t, "data", t), dtype=np.float64)


def _grad(t: Any) -> np.ndarray | None:
    g = getattr(t, "grad", None)
    return None if g is None else np.asarray(getattr(g, "data", g), dtype=np.float64)


def _ours(engine: Any) -> dict[str, Callable[..., Any]]:
    ce = getattr(engine, "cross_entropy", None)
    return {
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "neg": lambda a: -a, "pow (a**3)": lambda a: a**3,
        "pow (a**-1.5)": lambda a: a**-1.5,
        "numbers on the left (2 - a, 3 / b)": lambda a, b: (2.0 - a) + 3.0 / b,
        "matmul": lambda a, b: a @ b, "exp": lambda a: a.exp(), "log": lambda a: a.log(),
        "tanh": lambda a: a.tanh(), "sigmoid": lambda a: a.sigmoid(),
        "relu": lambda a: a.relu(), "sum": lambda a: a.sum(),
        "sum(axis=1)": lambda a: a.sum(axis=1),
        "sum(axis=0, keepdims=True)": lambda a: a.sum(axis=0, keepdims=True),
        "mean": lambda a: a.mean(), "mean(axis=0)": lambda a: a.mean(axis=0),
        "reshape": lambda a: a.reshape(2, 6), "transpose": lambda a: a.transpose(),
        "indexing (slice)": lambda a: a[1:, ::2],
        "indexing (row picked twice)": lambda a: a[[0, 2, 0]],
        "cross_entropy": lambda a: ce(a, C.CE_TARGETS),
        "add (3,4) + (4,)": lambda a, b: a + b, "sub (2,3,4) - (3,1)": lambda a, b: a - b,
        "mul (3,1) * (1,4)": lambda a, b: a * b, "div (3,4) / (4,)": lambda a, b: a / b,
        "bias add (5,3) + (3,) after matmul": lambda x, w, b: x @ w + b,
    }


def _run_cases(ctx: ProbeContext, table: tuple[C.Case, ...], *names: str) -> dict[str, Any]:
    engine = ctx.module("engine")
    tensor = ctx.require(*names, module=engine)
    tensor = tensor[0] if isinstance(tensor, list) else tensor
    ours = _ours(engine)
    results: dict[str, Any] = {}
    first_crash = ""
    for case, (arrays, upstream) in zip(table, C.draw(table), strict=True):
        try:
            inputs = [tensor(a.copy()) for a in arrays]
            out = ours[case.name](*inputs)
            value = _value(out)
            entry: dict[str, Any] = {"out": value}
            if value.shape == case.out_shape:
                out.backward(upstream.copy())
                entry["grads"] = [_grad(t) for t in inputs]
        except Exception as exc:
            entry = {"error": ctx.crash(exc)}
            first_crash = first_crash or learner_frame(exc, ctx.learner_dir)
        results[case.name] = entry
    return {"cases": results, "first_crash": first_crash}


def ops(ctx: ProbeContext) -> dict[str, Any]:
    return _run_cases(ctx, C.OPS, "Tensor", "cross_entropy")


def broadcast(ctx: ProbeContext) -> dict[str, Any]:
    return _run_cases(ctx, C.BROADCAST, "Tensor")


def accumulate(ctx: ProbeContext) -> dict[str, Any]:
    tensor = ctx.require("Tensor", module=ctx.module("engine"))
    x0 = np.array([0.5, -1.0, 2.0])
    x = tensor(x0.copy())
    (x * x).backward(np.ones(3))
    twice = _grad(x)
    x = tensor(x0.copy())
    (x * x + x).backward(np.ones(3))
    thrice = _grad(x)
    a = tensor(np.array([1.5, -0.5]))
    b = a * 3.0
    (((b * b) * 2.0) + b).backward(np.ones(2))
    return {"x*x": twice, "x*x + x": thrice, "diamond": _grad(a)}


def finite(ctx: ProbeContext) -> dict[str, Any]:
    engine = ctx.module("engine")
    tensor = ctx.require("Tensor", module=engine)
    numerical_gradient = ctx.require("numerical_gradient", module=ctx.module("gradcheck"))
    points: list[np.ndarray] = []  # every point f was evaluated at, in order

    def f(x: Any) -> float:
        arr = np.array(x, dtype=np.float64)  # a copy: the caller may go on changing x
        points.append(arr)
        return float(np.sum(np.sin(arr) * arr**2))

    given = C.FD_POINT.copy()
    fd = np.asarray(numerical_gradient(f, given), dtype=np.float64)
    same_shape = [q for q in points if q.shape == C.FD_POINT.shape]
    builds: dict[str, Callable[..., Any]] = {
        "(a*b + c)**2": lambda a, b, c: (a * b + c) ** 2,
        "tanh(x @ W + b).sum()": lambda x, W, b: (x @ W + b).tanh().sum(),
        "((sigmoid(x) - y)**2).mean()": lambda x, y: ((x.sigmoid() - y) ** 2).mean(),
        "(log(x) * exp(-x) / y).sum()": lambda x, y: (x.log() * (-x).exp() / y).sum(),
    }
    grads = []
    for label, arrays in C.finite_difference_inputs():
        leaves = [tensor(a.copy()) for a in arrays]
        builds[label](*leaves).backward()
        grads.append([_grad(leaf) for leaf in leaves])
    return {"numerical_gradient": fd, "grads": grads, "input_after": given,
            "points": np.array(same_shape) if same_shape else None,
            "point_count": len(points)}


def stable(ctx: ProbeContext) -> dict[str, Any]:
    tensor, cross_entropy = ctx.require("Tensor", "cross_entropy", module=ctx.module("engine"))
    x = tensor(C.CE_LARGE_LOGITS.copy())
    with np.errstate(all="ignore"):
        loss = cross_entropy(x, C.CE_LARGE_TARGETS)
        value = float(_value(loss))
        if np.isfinite(value):
            loss.backward()
    return {"loss": value, "grad": _grad(x)}


def mlp(ctx: ProbeContext) -> dict[str, Any]:
    tensor, cross_entropy = ctx.require("Tensor", "cross_entropy", module=ctx.module("engine"))
    mlp_cls, sgd = ctx.require("MLP", "SGD", module=ctx.module("nn"))
    p = tensor(np.array([1.0, -2.0]))
    p.grad = np.array([2.0, -1.0])
    sgd([p], lr=0.1).step()
    one_step = _value(p)
    x, y = two_moons(200, 0.15, np.random.default_rng(0))
    model = mlp_cls([2, 16, 16, 2], rng=np.random.default_rng(0))
    params = list(model.parameters())
    out: dict[str, Any] = {"sgd_step": one_step, "parameters": len(params), "losses": [],
                           "stale_grad_step": None}
    if not params:
        return out
    inputs = tensor(x)
    # Before training: the untrained logits and parameters (the judge recomputes the
    # forward pass from them) and which parameters one backward pass reaches.
    initial = [_value(q).copy() for q in params]
    saved = [q.grad.copy() if isinstance(q.grad, np.ndarray) else q.grad for q in params]
    first = model(inputs)
    cross_entropy(first, y).backward()
    out["initial_logits"] = _value(first).copy()  # (200, 2)
    out["initial_params"] = {str(i): v for i, v in enumerate(initial)}
    out["without_grad"] = [i for i, q in enumerate(params)
                           if _grad(q) is None or not np.any(_grad(q) != 0)]
    for q, g in zip(params, saved, strict=True):
        q.grad = g  # as it was: the learner's zero_grad may expect its own kind of value
    opt = sgd(params, lr=0.5)
    for step in range(C.MLP_STEPS):
        loss = cross_entropy(model(inputs), y)
        opt.zero_grad()
        if out["stale_grad_step"] is None and any(
                _grad(q) is not None and np.any(_grad(q) != 0) for q in params):
            out["stale_grad_step"] = step + 1
        loss.backward()
        opt.step()
        out["losses"].append(float(_value(loss)))
        if not np.isfinite(out["losses"][-1]):
            break
    out["logits"] = _value(model(inputs))  # (200, 2)
    return out


def dot(ctx: ProbeContext) -> dict[str, Any]:
    tensor = ctx.require("Tensor", module=ctx.module("engine"))
    to_dot = ctx.require("to_dot", module=ctx.module("graph"))
    a, b, c = tensor(2.0), tensor(-3.0), tensor(10.0)
    loss = (a * b + c) ** 2
    loss.backward()
    text = to_dot(loss)
    d, e = tensor(0.5), tensor(4.0)
    small = d * e  # a smaller graph: its text must differ, with fewer edges
    small.backward()
    small_text = to_dot(small)
    return {"text": text if isinstance(text, str) else None,
            "small_text": small_text if isinstance(small_text, str) else None,
            "type": type(text).__name__}
