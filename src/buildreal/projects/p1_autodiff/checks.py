"""Project 1's Definition of Done, judged against a learner's ``autodiff/`` package.

Each item compares the learner's engine with a trusted referee (PyTorch autograd, central
finite differences, closed-form gradients) and words a failure as the learner would want
to hear it: which operation, which input, by how much.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from buildreal.projects.base import CheckResult
from buildreal.projects.p1_autodiff.data import two_moons
from buildreal.projects.sandbox import (
    Failed,
    Judge,
    import_failure,
    learner_frame,
    load_package,
    read_notes,
    require,
    short,
    submodule,
)

DOD_OPS = "Backprop works for every supported operation"
DOD_BROADCAST = "Broadcast inputs get gradients summed back to their own shape"
DOD_ACCUMULATE = "A node used twice gets the sum of both paths, in topological order"
DOD_FINITE = "Gradients match finite differences on toy expressions"
DOD_STABLE = "Softmax cross-entropy stays finite for large logits (log-sum-exp)"
DOD_MLP = "A small MLP reduces the loss on a toy data set"
DOD_DOT = "The graph printer writes Graphviz dot for a small expression"
DOD_DOCS = "Documentation explains the graph and gradient flow (NOTES.md)"
DEFINITION_OF_DONE = (DOD_OPS, DOD_BROADCAST, DOD_ACCUMULATE, DOD_FINITE, DOD_STABLE,
                      DOD_MLP, DOD_DOT, DOD_DOCS)

TOL = 1e-6  # float64 engines agree with PyTorch to ~1e-12; 1e-6 leaves room, not slack


@dataclass(frozen=True)
class OpCase:
    """One operation under test: input shapes, how to draw inputs, and the same
    expression written for the learner's Tensor and for torch."""

    name: str
    shapes: tuple[tuple[int, ...], ...]
    ours: Callable[..., Any]
    theirs: Callable[..., Any]
    low: float = -2.0
    high: float = 2.0


_CE_TARGETS = np.array([0, 2, 1, 2, 0])  # class indices for a (5, 3) batch of logits


def _torch_ce(logits: Any) -> Any:
    import torch
    import torch.nn.functional as F  # noqa: N812

    return F.cross_entropy(logits, torch.as_tensor(_CE_TARGETS))


def op_cases(engine: ModuleType) -> list[OpCase]:
    ce = getattr(engine, "cross_entropy", None)
    return [
        OpCase("add", ((3, 4), (3, 4)), lambda a, b: a + b, lambda a, b: a + b),
        OpCase("sub", ((3, 4), (3, 4)), lambda a, b: a - b, lambda a, b: a - b),
        OpCase("mul", ((3, 4), (3, 4)), lambda a, b: a * b, lambda a, b: a * b),
        OpCase("div", ((3, 4), (3, 4)), lambda a, b: a / b, lambda a, b: a / b, 0.5, 2.0),
        OpCase("neg", ((3, 4),), lambda a: -a, lambda a: -a),
        OpCase("pow (a**3)", ((3, 4),), lambda a: a**3, lambda a: a**3),
        OpCase("pow (a**-1.5)", ((3, 4),), lambda a: a**-1.5, lambda a: a**-1.5, 0.5, 2.0),
        OpCase("numbers on the left (2 - a, 3 / b)", ((3, 4), (3, 4)),
               lambda a, b: (2.0 - a) + 3.0 / b, lambda a, b: (2.0 - a) + 3.0 / b, 0.5, 2.0),
        OpCase("matmul", ((3, 4), (4, 5)), lambda a, b: a @ b, lambda a, b: a @ b),
        OpCase("exp", ((3, 4),), lambda a: a.exp(), lambda a: a.exp()),
        OpCase("log", ((3, 4),), lambda a: a.log(), lambda a: a.log(), 0.2, 3.0),
        OpCase("tanh", ((3, 4),), lambda a: a.tanh(), lambda a: a.tanh()),
        OpCase("sigmoid", ((3, 4),), lambda a: a.sigmoid(), lambda a: a.sigmoid()),
        OpCase("relu", ((3, 4),), lambda a: a.relu(), lambda a: a.relu()),
        OpCase("sum", ((3, 4),), lambda a: a.sum(), lambda a: a.sum()),
        OpCase("sum(axis=1)", ((3, 4),), lambda a: a.sum(axis=1), lambda a: a.sum(dim=1)),
        OpCase("sum(axis=0, keepdims=True)", ((3, 4),), lambda a: a.sum(axis=0, keepdims=True),
               lambda a: a.sum(dim=0, keepdim=True)),
        OpCase("mean", ((3, 4),), lambda a: a.mean(), lambda a: a.mean()),
        OpCase("mean(axis=0)", ((3, 4),), lambda a: a.mean(axis=0), lambda a: a.mean(dim=0)),
        OpCase("reshape", ((3, 4),), lambda a: a.reshape(2, 6), lambda a: a.reshape(2, 6)),
        OpCase("transpose", ((3, 4),), lambda a: a.transpose(), lambda a: a.T),
        OpCase("indexing (slice)", ((3, 4),), lambda a: a[1:, ::2], lambda a: a[1:, ::2]),
        OpCase("indexing (row picked twice)", ((3, 4),), lambda a: a[[0, 2, 0]],
               lambda a: a[[0, 2, 0]]),
        OpCase("cross_entropy", ((5, 3),), lambda a: ce(a, _CE_TARGETS), _torch_ce),
    ]


def broadcast_cases() -> list[OpCase]:
    return [
        OpCase("add (3,4) + (4,)", ((3, 4), (4,)), lambda a, b: a + b, lambda a, b: a + b),
        OpCase("sub (2,3,4) - (3,1)", ((2, 3, 4), (3, 1)), lambda a, b: a - b,
               lambda a, b: a - b),
        OpCase("mul (3,1) * (1,4)", ((3, 1), (1, 4)), lambda a, b: a * b, lambda a, b: a * b),
        OpCase("div (3,4) / (4,)", ((3, 4), (4,)), lambda a, b: a / b, lambda a, b: a / b,
               0.5, 2.0),
        OpCase("bias add (5,3) + (3,) after matmul", ((5, 2), (2, 3), (3,)),
               lambda x, w, b: x @ w + b, lambda x, w, b: x @ w + b),
    ]


# --- reading the learner's tensors ----------------------------------------------------

def _value(t: Any) -> np.ndarray:
    return np.asarray(getattr(t, "data", t), dtype=np.float64)


def _grad(t: Any) -> np.ndarray | None:
    g = getattr(t, "grad", None)
    if g is None:
        return None
    return np.asarray(getattr(g, "data", g), dtype=np.float64)


def _index(diff: np.ndarray) -> str:
    if diff.ndim == 0:
        return ""
    at = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return f" at index {tuple(int(i) for i in at)}"


def compare_case(engine: ModuleType, case: OpCase, rng: np.random.Generator) -> str | None:
    """None when the learner's op matches torch; otherwise what is wrong, in words."""
    Tensor = engine.Tensor  # noqa: N806 - the learner's class
    names = "abcdefgh"
    arrays = [rng.uniform(case.low, case.high, shape) for shape in case.shapes]
    if case.name == "relu":  # keep away from the kink, where the derivative is undefined
        arrays = [np.where(np.abs(a) < 0.1, 0.5, a) for a in arrays]
    ours_in = [Tensor(a.copy()) for a in arrays]
    out = case.ours(*ours_in)  # first, so an unfinished op fails before torch is loaded

    import torch

    theirs_in = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    ref = case.theirs(*theirs_in)
    got = _value(out)
    want = ref.detach().numpy()
    if got.shape != want.shape:
        return f"{case.name}: output has shape {got.shape}, expected {want.shape}"
    if not np.allclose(got, want, rtol=TOL, atol=TOL):
        return f"{case.name}: forward value off by up to {np.max(np.abs(got - want)):.3g}"
    upstream = rng.uniform(0.5, 1.5, want.shape)  # not all ones: catches a dropped factor
    out.backward(upstream.copy())
    ref.backward(torch.tensor(upstream))
    for name, t_ours, t_ref, arr in zip(names, ours_in, theirs_in, arrays, strict=False):
        expected = t_ref.grad.numpy()
        g = _grad(t_ours)
        if g is None:
            return (f"{case.name}: {name}.grad is still empty after backward (the op's "
                    "backward never reached its input)")
        if g.shape != arr.shape:
            return (f"{case.name}: {name}.grad has shape {g.shape} but {name} has shape "
                    f"{arr.shape} (sum the gradient over the axes that were broadcast)")
        diff = np.abs(g - expected)
        if not np.allclose(g, expected, rtol=TOL, atol=TOL):
            return (f"{case.name}: dL/d{name} differs from PyTorch by up to "
                    f"{diff.max():.3g}{_index(diff)}")
    return None


def _run_cases(engine: ModuleType, cases: list[OpCase], learner_dir: Path, what: str) -> str:
    rng = np.random.default_rng(1234)
    problems: list[str] = []
    first_crash = ""
    for case in cases:
        try:
            problem = compare_case(engine, case, rng)
        except Exception as exc:
            problem = f"{case.name}: raised {type(exc).__name__}: {short(str(exc), 120)}"
            first_crash = first_crash or learner_frame(exc, learner_dir)
        if problem:
            problems.append(problem)
    if problems:
        shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
        raise Failed(f"{len(problems)} of {len(cases)} {what} are wrong or unfinished: {shown}",
                     first_crash)
    return f"all {len(cases)} {what} match PyTorch autograd (tolerance {TOL:g})"


# --- the DoD items --------------------------------------------------------------------

def check_ops(engine: ModuleType, learner_dir: Path) -> str:
    require(engine, "Tensor", "cross_entropy")
    return _run_cases(engine, op_cases(engine), learner_dir, "operations")


def check_broadcast(engine: ModuleType, learner_dir: Path) -> str:
    require(engine, "Tensor")
    return _run_cases(engine, broadcast_cases(), learner_dir, "broadcasting cases")


def check_accumulate(engine: ModuleType) -> str:
    (Tensor,) = require(engine, "Tensor")  # noqa: N806
    x0 = np.array([0.5, -1.0, 2.0])

    x = Tensor(x0.copy())
    (x * x).backward(np.ones(3))
    g = _grad(x)
    if g is None or not np.allclose(g, 2 * x0, atol=TOL):
        hint = " (one path's gradient overwrote the other's: add with +=, do not assign)" \
            if g is not None and np.allclose(g, x0) else ""
        raise Failed(f"y = x * x uses x twice: dL/dx should be 2x = {2 * x0}, got {g}{hint}")

    x = Tensor(x0.copy())
    (x * x + x).backward(np.ones(3))
    g = _grad(x)
    if g is None or not np.allclose(g, 2 * x0 + 1, atol=TOL):
        replaced = g is not None and (np.allclose(g, 1.0) or np.allclose(g, x0)
                                      or np.allclose(g, 2 * x0))
        hint = " (one path's gradient overwrote another's instead of adding to it)" \
            if replaced else ""
        raise Failed(f"y = x*x + x uses x three times: dL/dx should be 2x + 1 = "
                     f"{2 * x0 + 1}, got {g}{hint}")

    # b = 3a feeds L twice: directly, and through the longer path (b*b)*2. b's gradient
    # is complete only after the long path has run too, which a breadth-first walk (or a
    # recursive one without a topological sort) does not wait for.
    a = Tensor(np.array([1.5, -0.5]))
    b = a * 3.0
    (((b * b) * 2.0) + b).backward(np.ones(2))
    b_val = 3.0 * np.array([1.5, -0.5])
    want = 3.0 * (4.0 * b_val + 1.0)
    g = _grad(a)
    if g is None or not np.allclose(g, want, atol=TOL):
        raise Failed(f"in L = 2·(3a)² + 3a, dL/da should be {want}, got {g}: b = 3a passed "
                     "its gradient on before all of its users had run. Walk the graph in "
                     "reverse topological order")
    return "x*x, x*x + x and a diamond-shaped graph all get every path's gradient"


def _central(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    x = x.astype(np.float64).copy()
    out = np.zeros_like(x)
    flat, oflat = x.reshape(-1), out.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = f(x)
        flat[i] = keep - eps
        down = f(x)
        flat[i] = keep
        oflat[i] = (up - down) / (2 * eps)
    return out


def check_finite_differences(package: ModuleType, engine: ModuleType) -> str:
    (Tensor,) = require(engine, "Tensor")  # noqa: N806
    gradcheck = submodule(package, "gradcheck")
    (numerical_gradient,) = require(gradcheck, "numerical_gradient")

    # 1. the learner's finite differences against a closed form
    x0 = np.array([[0.3, -1.2], [2.0, 0.7]])
    fd = np.asarray(numerical_gradient(lambda x: float(np.sum(np.sin(x) * x**2)), x0.copy()))
    exact = np.cos(x0) * x0**2 + 2 * x0 * np.sin(x0)
    if fd.shape != x0.shape or not np.allclose(fd, exact, atol=1e-5):
        off = (f"is off by up to {np.max(np.abs(fd - exact)):.3g}" if fd.shape == x0.shape
               else f"has shape {fd.shape}, not {x0.shape}")
        raise Failed(f"numerical_gradient of sum(sin(x)·x²) {off}: use central differences, "
                     "(f(x+eps) - f(x-eps)) / 2eps, one entry at a time")

    # 2. the learner's engine against central differences on toy expressions
    rng = np.random.default_rng(7)
    w = rng.normal(size=(3, 2))
    exprs: list[tuple[str, list[np.ndarray], Callable[..., Any]]] = [
        ("(a*b + c)**2", [np.array(2.0), np.array(-3.0), np.array(10.0)],
         lambda a, b, c: (a * b + c) ** 2),
        ("tanh(x @ W + b).sum()", [rng.normal(size=(4, 3)), w, rng.normal(size=(2,))],
         lambda x, W, b: (x @ W + b).tanh().sum()),
        ("((sigmoid(x) - y)**2).mean()", [rng.normal(size=(5,)), rng.uniform(size=(5,))],
         lambda x, y: ((x.sigmoid() - y) ** 2).mean()),
        ("(log(x) * exp(-x) / y).sum()", [rng.uniform(0.5, 2, (3,)), rng.uniform(1, 2, (3,))],
         lambda x, y: (x.log() * (-x).exp() / y).sum()),
    ]
    worst = 0.0
    for label, arrays, build in exprs:
        leaves = [Tensor(a.copy()) for a in arrays]
        out = build(*leaves)
        out.backward()
        for i, (leaf, arr) in enumerate(zip(leaves, arrays, strict=True)):
            def f(v: np.ndarray, i: int = i, arrays: list[np.ndarray] = arrays,
                  build: Callable[..., Any] = build) -> float:
                vals = [a.copy() for a in arrays]
                vals[i] = v
                return float(_value(build(*[Tensor(a) for a in vals])))

            want = _central(f, arr)
            got = _grad(leaf)
            if got is None or got.shape != arr.shape or not np.allclose(got, want, atol=1e-5,
                                                                         rtol=1e-4):
                off = "missing" if got is None or got.shape != arr.shape \
                    else f"off by up to {np.max(np.abs(got - want)):.3g}"
                raise Failed(f"{label}: gradient of input {i + 1} disagrees with finite "
                             f"differences ({off})")
            worst = max(worst, float(np.max(np.abs(got - want))))
    return (f"numerical_gradient is right, and {len(exprs)} toy expressions match finite "
            f"differences (largest gap {worst:.1e})")


def check_stable_ce(engine: ModuleType) -> str:
    (Tensor, cross_entropy) = require(engine, "Tensor", "cross_entropy")  # noqa: N806
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 999.0], [-800.0, -805.0, -790.0]])
    targets = np.array([0, 2, 1])
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_z = np.log(np.exp(shifted).sum(axis=1))
    want = float(np.mean(log_z - shifted[np.arange(3), targets]))
    probs = np.exp(shifted - log_z[:, None])
    probs[np.arange(3), targets] -= 1
    want_grad = probs / 3
    x = Tensor(logits.copy())
    with np.errstate(all="ignore"):
        loss = cross_entropy(x, targets)
        got = float(_value(loss))
        if not np.isfinite(got):
            raise Failed(f"cross_entropy gives {got} for logits near ±1000: exp overflowed. "
                         "Subtract each row's maximum before exp (log-sum-exp)")
        if abs(got - want) > 1e-6:
            raise Failed(f"cross_entropy for large logits is {got:.6g}, expected {want:.6g}")
        loss.backward()
    g = _grad(x)
    if g is None or g.shape != logits.shape or not np.allclose(g, want_grad, atol=1e-8):
        raise Failed("cross_entropy's gradient for large logits is not (softmax − one_hot)/N"
                     f" (got {g if g is None else np.round(g, 4).tolist()})")
    return f"loss {got:.4f} and its gradient are exact for logits of ±1000"


def check_mlp(package: ModuleType, engine: ModuleType) -> str:
    (Tensor, cross_entropy) = require(engine, "Tensor", "cross_entropy")  # noqa: N806
    nn = submodule(package, "nn")
    MLP, SGD = require(nn, "MLP", "SGD")  # noqa: N806

    p = Tensor(np.array([1.0, -2.0]))
    p.grad = np.array([2.0, -1.0])
    SGD([p], lr=0.1).step()
    if not np.allclose(_value(p), [0.8, -1.9]):
        raise Failed(f"SGD.step moved [1, -2] with gradient [2, -1] and lr 0.1 to "
                     f"{_value(p).tolist()}, expected [0.8, -1.9] (p ← p − lr·grad)")

    x, y = two_moons(200, 0.15, np.random.default_rng(0))
    model = MLP([2, 16, 16, 2], rng=np.random.default_rng(0))
    params = list(model.parameters())
    if not params:
        raise Failed("MLP.parameters() returned nothing to train")
    opt = SGD(params, lr=0.5)
    inputs = Tensor(x)
    losses = []
    for _ in range(300):
        loss = cross_entropy(model(inputs), y)
        opt.zero_grad()
        if any(_grad(q) is not None and np.any(_grad(q) != 0) for q in params):
            raise Failed("after SGD.zero_grad() some parameter still has a non-zero .grad")
        loss.backward()
        opt.step()
        losses.append(float(_value(loss)))
        if not np.isfinite(losses[-1]):
            raise Failed(f"the loss became {losses[-1]} at step {len(losses)}")
    acc = float((_value(model(inputs)).argmax(axis=1) == y).mean())
    first, last = losses[0], losses[-1]
    if not last < 0.5 * first or acc < 0.85:
        raise Failed(f"on two moons (200 points, MLP 2-16-16-2, SGD lr 0.5, 300 steps) the "
                     f"loss went {first:.3f} → {last:.3f} and accuracy is {acc:.2f}; expected "
                     "the loss to halve and accuracy ≥ 0.85")
    return f"two moons: loss {first:.3f} → {last:.3f} in 300 steps, accuracy {acc:.2f}"


def check_dot(package: ModuleType, engine: ModuleType) -> str:
    (Tensor,) = require(engine, "Tensor")  # noqa: N806
    graph = submodule(package, "graph")
    (to_dot,) = require(graph, "to_dot")
    a, b, c = Tensor(2.0), Tensor(-3.0), Tensor(10.0)
    loss = (a * b + c) ** 2
    loss.backward()
    text = to_dot(loss)
    if not isinstance(text, str) or not re.search(r"\bdigraph\b", text):
        raise Failed("to_dot(L) should return dot text starting with `digraph`")
    if text.count("{") != text.count("}"):
        raise Failed("to_dot(L) returned text with unbalanced braces; `dot` cannot read it")
    edges = text.count("->")
    if edges < 4:
        raise Failed(f"to_dot((a*b + c)**2) has {edges} edge(s); the graph has at least 4 "
                     "(a→*, b→*, *→+, c→+, +→**2)")
    return f"(a*b + c)**2 printed as dot with {edges} edges"


_TRACE = {"dL/da": r"[-−–]\s*24\b", "dL/db": r"(?<![\d.])16\b", "dL/dc": r"(?<![\d.-])8\b"}


def check_docs(learner_dir: Path) -> str:
    text, words = read_notes(learner_dir, write_what="the graph and gradient-flow explanation",
                             explain_what="the graph and the gradient flow")
    missing = [name for name, pattern in _TRACE.items() if not re.search(pattern, text)]
    if missing:
        raise Failed("the trace of L = (a*b + c)**2 at a=2, b=-3, c=10 in NOTES.md does not "
                     f"give the value of {', '.join(missing)}")
    return f"NOTES.md explains the graph in {words} words, with the traced gradients"


def run_checks(learner_dir: Path) -> Iterator[CheckResult]:
    """Judge every DoD item in order; yields each verdict as soon as it is reached."""
    judge = Judge(learner_dir)
    try:
        package = load_package(learner_dir, "autodiff")
        engine = submodule(package, "engine")
    except Exception as exc:
        reason, detail = import_failure(exc, learner_dir, "autodiff")
        for dod in DEFINITION_OF_DONE[:-1]:
            yield CheckResult(dod, False, reason, 1, detail)
        yield judge.run(DOD_DOCS, 1, lambda: check_docs(learner_dir))
        return
    yield judge.run(DOD_OPS, 2, lambda: check_ops(engine, learner_dir))
    yield judge.run(DOD_BROADCAST, 4, lambda: check_broadcast(engine, learner_dir))
    yield judge.run(DOD_ACCUMULATE, 3, lambda: check_accumulate(engine))
    yield judge.run(DOD_FINITE, 5, lambda: check_finite_differences(package, engine))
    yield judge.run(DOD_STABLE, 4, lambda: check_stable_ce(engine))
    yield judge.run(DOD_MLP, 3, lambda: check_mlp(package, engine))
    yield judge.run(DOD_DOT, 1, lambda: check_dot(package, engine))
    yield judge.run(DOD_DOCS, 1, lambda: check_docs(learner_dir))
