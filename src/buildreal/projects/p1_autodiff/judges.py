"""Project 1's judges: run in the toolkit's own process, they compare what the learner's
engine returned (see ``probes``) with PyTorch autograd, closed forms and finite
differences computed here, and word each failure as the learner would want to hear it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.p1_autodiff import cases as C
from buildreal.projects.p1_autodiff.data import two_moons
from buildreal.projects.sandbox import Failed, read_notes

TOL = 1e-6  # float64 engines agree with PyTorch to ~1e-12; 1e-6 leaves room, not slack


def _torch(name: str) -> Callable[..., Any]:
    import torch
    import torch.nn.functional as F  # noqa: N812

    table: dict[str, Callable[..., Any]] = {
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "neg": lambda a: -a, "pow (a**3)": lambda a: a**3,
        "pow (a**-1.5)": lambda a: a**-1.5,
        "numbers on the left (2 - a, 3 / b)": lambda a, b: (2.0 - a) + 3.0 / b,
        "matmul": lambda a, b: a @ b, "exp": lambda a: a.exp(), "log": lambda a: a.log(),
        "tanh": lambda a: a.tanh(), "sigmoid": lambda a: a.sigmoid(),
        "relu": lambda a: a.relu(), "sum": lambda a: a.sum(),
        "sum(axis=1)": lambda a: a.sum(dim=1),
        "sum(axis=0, keepdims=True)": lambda a: a.sum(dim=0, keepdim=True),
        "mean": lambda a: a.mean(), "mean(axis=0)": lambda a: a.mean(dim=0),
        "reshape": lambda a: a.reshape(2, 6), "transpose": lambda a: a.T,
        "indexing (slice)": lambda a: a[1:, ::2],
        "indexing (row picked twice)": lambda a: a[[0, 2, 0]],
        "cross_entropy": lambda a: F.cross_entropy(a, torch.as_tensor(C.CE_TARGETS)),
        "add (3,4) + (4,)": lambda a, b: a + b, "sub (2,3,4) - (3,1)": lambda a, b: a - b,
        "mul (3,1) * (1,4)": lambda a, b: a * b, "div (3,4) / (4,)": lambda a, b: a / b,
        "bias add (5,3) + (3,) after matmul": lambda x, w, b: x @ w + b,
    }
    return table[name]


def _index(diff: np.ndarray) -> str:
    if diff.ndim == 0:
        return ""
    at = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return f" at index {tuple(int(i) for i in at)}"


def _compare(case: C.Case, arrays: list[np.ndarray], upstream: np.ndarray,
             entry: dict[str, Any]) -> str | None:
    import torch

    if "error" in entry:
        return f"{case.name}: {entry['error']}"
    got = np.asarray(entry.get("out"), dtype=np.float64)
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    ref = _torch(case.name)(*theirs)
    want = ref.detach().numpy()
    if got.shape != want.shape:
        return f"{case.name}: output has shape {got.shape}, expected {want.shape}"
    if not np.allclose(got, want, rtol=TOL, atol=TOL):
        return f"{case.name}: forward value off by up to {np.max(np.abs(got - want)):.3g}"
    ref.backward(torch.tensor(upstream))
    grads = entry.get("grads") or []
    for i, (t_ref, arr) in enumerate(zip(theirs, arrays, strict=True)):
        name = "abcdefgh"[i]
        g = grads[i] if i < len(grads) else None
        if g is None:
            return (f"{case.name}: {name}.grad is still empty after backward (the op's "
                    "backward never reached its input)")
        g = np.asarray(g, dtype=np.float64)
        if g.shape != arr.shape:
            return (f"{case.name}: {name}.grad has shape {g.shape} but {name} has shape "
                    f"{arr.shape} (sum the gradient over the axes that were broadcast)")
        expected = t_ref.grad.numpy()
        if not np.allclose(g, expected, rtol=TOL, atol=TOL):
            diff = np.abs(g - expected)
            return (f"{case.name}: dL/d{name} differs from PyTorch by up to "
                    f"{diff.max():.3g}{_index(diff)}")
    return None


def _judge_cases(ev: Evidence, table: tuple[C.Case, ...], what: str) -> str:
    results = ev.get("cases")
    if not isinstance(results, dict):
        raise Failed("the check received no per-operation results from your code")
    problems = []
    for case, (arrays, upstream) in zip(table, C.draw(table), strict=True):
        entry = results.get(case.name)
        problem = _compare(case, arrays, upstream, entry) if isinstance(entry, dict) \
            else f"{case.name}: no result"
        if problem:
            problems.append(problem)
    if problems:
        shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
        raise Failed(f"{len(problems)} of {len(table)} {what} are wrong or unfinished: {shown}",
                     str(ev.data.get("first_crash") or ""))
    return f"all {len(table)} {what} match PyTorch autograd (tolerance {TOL:g})"


def ops(ev: Evidence) -> str:
    return _judge_cases(ev, C.OPS, "operations")


def broadcast(ev: Evidence) -> str:
    return _judge_cases(ev, C.BROADCAST, "broadcasting cases")


def _maybe(ev: Evidence, key: str) -> np.ndarray | None:
    value = ev.get(key)
    return None if value is None else np.asarray(value, dtype=np.float64)


def accumulate(ev: Evidence) -> str:
    x0 = np.array([0.5, -1.0, 2.0])
    g = _maybe(ev, "x*x")
    if g is None or g.shape != x0.shape or not np.allclose(g, 2 * x0, atol=TOL):
        hint = " (one path's gradient overwrote the other's: add with +=, do not assign)" \
            if g is not None and g.shape == x0.shape and np.allclose(g, x0) else ""
        raise Failed(f"y = x * x uses x twice: dL/dx should be 2x = {2 * x0}, got {g}{hint}")
    g = _maybe(ev, "x*x + x")
    if g is None or g.shape != x0.shape or not np.allclose(g, 2 * x0 + 1, atol=TOL):
        replaced = g is not None and g.shape == x0.shape and (
            np.allclose(g, 1.0) or np.allclose(g, x0) or np.allclose(g, 2 * x0))
        hint = " (one path's gradient overwrote another's instead of adding to it)" \
            if replaced else (" (adding in place with += changes an array that another node "
                              "also holds as its gradient, since + passes the same g to both "
                              "inputs: add out of place, self.grad = self.grad + g)")
        raise Failed(f"y = x*x + x uses x three times: dL/dx should be 2x + 1 = "
                     f"{2 * x0 + 1}, got {g}{hint}")
    # b = 3a feeds L twice: directly, and through (b*b)*2. b's gradient is complete only
    # after the long path has run too, which a breadth-first walk does not wait for.
    want = 3.0 * (4.0 * (3.0 * np.array([1.5, -0.5])) + 1.0)
    g = _maybe(ev, "diamond")
    if g is None or g.shape != want.shape or not np.allclose(g, want, atol=TOL):
        raise Failed(f"in L = 2·(3a)² + 3a, dL/da should be {want}, got {g}: b = 3a passed "
                     "its gradient on before all of its users had run. Walk the graph in "
                     "reverse topological order")
    return "x*x, x*x + x and a diamond-shaped graph all get every path's gradient"


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


_NUMPY_EXPRESSIONS: dict[str, Callable[..., float]] = {
    "(a*b + c)**2": lambda a, b, c: float((a * b + c) ** 2),
    "tanh(x @ W + b).sum()": lambda x, W, b: float(np.tanh(x @ W + b).sum()),
    "((sigmoid(x) - y)**2).mean()": lambda x, y: float(((_sigmoid(x) - y) ** 2).mean()),
    "(log(x) * exp(-x) / y).sum()": lambda x, y: float((np.log(x) * np.exp(-x) / y).sum()),
}


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


def finite(ev: Evidence) -> str:
    x0 = C.FD_POINT
    fd = ev.array("numerical_gradient")
    exact = np.cos(x0) * x0**2 + 2 * x0 * np.sin(x0)
    if fd.shape != x0.shape or not np.allclose(fd, exact, atol=1e-5):
        off = (f"is off by up to {np.max(np.abs(fd - exact)):.3g}" if fd.shape == x0.shape
               else f"has shape {fd.shape}, not {x0.shape}")
        small = fd.shape == x0.shape and np.max(np.abs(fd - exact)) < 1e-2
        raise Failed(f"numerical_gradient of sum(sin(x)·x²) {off}: use central differences, "
                     "(f(x+eps) - f(x-eps)) / 2eps, one entry at a time"
                     + (", with eps near 1e-6 (a much smaller eps drowns the difference in "
                        "rounding error)" if small else ""))
    _one_entry_at_a_time(ev, x0)
    grads = ev.items("grads")
    worst = 0.0
    for (label, arrays), learner in zip(C.finite_difference_inputs(), grads, strict=True):
        expr = _NUMPY_EXPRESSIONS[label]
        for i, arr in enumerate(arrays):
            def f(v: np.ndarray, i: int = i, arrays: list[np.ndarray] = arrays,
                  expr: Callable[..., float] = expr) -> float:
                vals = [a.copy() for a in arrays]
                vals[i] = v
                return expr(*vals)

            want = _central(f, arr)
            got = None if learner[i] is None else np.asarray(learner[i], dtype=np.float64)
            if got is None or got.shape != arr.shape or not np.allclose(got, want, atol=1e-5,
                                                                         rtol=1e-4):
                off = "missing" if got is None or got.shape != arr.shape \
                    else f"off by up to {np.max(np.abs(got - want)):.3g}"
                raise Failed(f"{label}: gradient of input {i + 1} disagrees with finite "
                             f"differences ({off})")
            worst = max(worst, float(np.max(np.abs(got - want))))
    return (f"numerical_gradient is right, and {len(grads)} toy expressions match finite "
            f"differences (largest gap {worst:.1e})")


def _one_entry_at_a_time(ev: Evidence, x0: np.ndarray) -> None:
    """numerical_gradient must leave the caller's array alone and move one entry per
    evaluation of f: an entry left at x+eps or x-eps skews every later difference (by
    less than the tolerance when eps is small, so the values alone do not show it)."""
    after = _maybe(ev, "input_after")
    if after is not None and (after.shape != x0.shape or not np.array_equal(after, x0)):
        raise Failed("numerical_gradient changed the array passed to it: perturb a private "
                     "copy (np.array(x, dtype=float)), so the caller's x is left as it was")
    points = _maybe(ev, "points")
    if points is None or points.ndim != 1 + x0.ndim:
        return
    for n, point in enumerate(points, start=1):
        moved = np.abs(point - x0)
        if moved.max() == 0.0:
            continue
        count = int((moved > 0.01 * moved.max()).sum())
        if count > 1:
            raise Failed(f"numerical_gradient evaluated f at a point where {count} entries of "
                         f"x were moved at once (evaluation {n}): put each entry back to its "
                         "original value after perturbing it, before moving the next one")


def stable(ev: Evidence) -> str:
    logits, targets = C.CE_LARGE_LOGITS, C.CE_LARGE_TARGETS
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_z = np.log(np.exp(shifted).sum(axis=1))
    want = float(np.mean(log_z - shifted[np.arange(3), targets]))
    probs = np.exp(shifted - log_z[:, None])
    probs[np.arange(3), targets] -= 1
    got = ev.number("loss")
    if not np.isfinite(got):
        raise Failed(f"cross_entropy gives {got} for logits near ±1000: exp overflowed. "
                     "Subtract each row's maximum before exp (log-sum-exp)")
    if abs(got - want) > 1e-6:
        raise Failed(f"cross_entropy for large logits is {got:.6g}, expected {want:.6g}")
    g = _maybe(ev, "grad")
    if g is None or g.shape != logits.shape or not np.allclose(g, probs / 3, atol=1e-8):
        raise Failed("cross_entropy's gradient for large logits is not (softmax − one_hot)/N"
                     f" (got {g if g is None else np.round(g, 4).tolist()})")
    return f"loss {got:.4f} and its gradient are exact for logits of ±1000"


def mlp(ev: Evidence) -> str:
    stepped = ev.array("sgd_step")
    if stepped.shape != (2,) or not np.allclose(stepped, [0.8, -1.9]):
        raise Failed(f"SGD.step moved [1, -2] with gradient [2, -1] and lr 0.1 to "
                     f"{stepped.tolist()}, expected [0.8, -1.9] (p ← p − lr·grad)")
    if ev.integer("parameters") == 0:
        raise Failed("MLP.parameters() returned nothing to train")
    if ev.get("stale_grad_step") is not None:
        raise Failed("after SGD.zero_grad() some parameter still has a non-zero .grad (step "
                     f"{ev.integer('stale_grad_step')})")
    _parameters_and_forward(ev)
    losses = ev.array("losses", ndim=1)
    if len(losses) and not np.isfinite(losses[-1]):
        raise Failed(f"the loss became {losses[-1]} at step {len(losses)}")
    _, y = two_moons(200, 0.15, np.random.default_rng(0))
    logits = ev.array("logits", shape=(200, 2))
    acc = float((logits.argmax(axis=1) == y).mean())
    first, last = float(losses[0]), float(losses[-1])
    if len(losses) < C.MLP_STEPS or not last < 0.5 * first or acc < 0.85:
        raise Failed(f"on two moons (200 points, MLP 2-16-16-2, SGD lr 0.5, 300 steps) the "
                     f"loss went {first:.3f} → {last:.3f} and accuracy is {acc:.2f}; expected "
                     "the loss to halve and accuracy ≥ 0.85")
    return f"two moons: loss {first:.3f} → {last:.3f} in 300 steps, accuracy {acc:.2f}"


_MLP_SIZES = (2, 16, 16, 2)


def _mlp_forward(x: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray],
                 activated: tuple[bool, ...]) -> np.ndarray:
    h = x
    for w, b, act in zip(weights, biases, activated, strict=True):
        h = h @ w + b
        h = np.tanh(h) if act else h
    return h


def _parameters_and_forward(ev: Evidence) -> None:
    """Every parameter gets a gradient, the biases are among the parameters, and the
    untrained MLP computes tanh between its layers and raw logits at the end.

    The forward pass is recomputed from the learner's own parameters, paired by shape
    (weights (n_in, n_out) and biases (n_out,) in the order listed); a layout other than
    the starter's is not judged here, and only an output that matches a known mistake
    exactly fails, so no other correct implementation can."""
    missing = ev.get("without_grad")
    shapes = {}
    params = ev.get("initial_params")
    if isinstance(params, dict):
        shapes = {int(k): np.asarray(v, dtype=np.float64) for k, v in params.items()}
    if isinstance(missing, list) and missing:
        i = int(missing[0])
        shape = tuple(shapes[i].shape) if i in shapes else "?"
        raise Failed(f"parameter {i} of MLP([2, 16, 16, 2]) (shape {shape}) gets no gradient "
                     f"from loss.backward() ({len(missing)} such): the forward pass must use "
                     "the parameter Tensor itself, not its .data (a NumPy array is a constant "
                     "to the engine), so SGD never changes it")
    if not shapes:
        return
    ordered = [shapes[i] for i in sorted(shapes)]
    total = sum(p.size for p in ordered)
    want = sum(a * b + b for a, b in zip(_MLP_SIZES[:-1], _MLP_SIZES[1:], strict=True))
    if total < want:
        raise Failed(f"MLP([2, 16, 16, 2]).parameters() holds {total} numbers, but the "
                     f"network has {want} (weights 2·16 + 16·16 + 16·2 and biases 16 + 16 + "
                     "2): parameters not listed are never trained. Are the biases missing?")
    weights = [p for p in ordered if p.ndim == 2]
    biases = [p for p in ordered if p.ndim == 1]
    pairs = list(zip(_MLP_SIZES[:-1], _MLP_SIZES[1:], strict=True))
    if [w.shape for w in weights] != pairs or [b.shape for b in biases] != \
            [(b,) for _, b in pairs] or not ev.has("initial_logits"):
        return
    x, _ = two_moons(200, 0.15, np.random.default_rng(0))
    got = ev.array("initial_logits")
    if got.shape != (200, 2):
        return
    if np.allclose(got, _mlp_forward(x, weights, biases, (True, True, False)), atol=1e-8):
        return
    mistakes = {
        (True, True, True): "applies tanh to the output layer too: the last layer must "
                            "return raw logits, which cross_entropy turns into probabilities",
        (True, False, False): "has no tanh after the second hidden layer (an off-by-one in the "
                              "loop over layers?): two Linear layers in a row collapse into one",
        (False, True, False): "has no tanh after the first hidden layer: two Linear layers in "
                              "a row collapse into one",
        (False, False, False): "has no tanh between its layers: a stack of Linear layers is one "
                               "linear map",
    }
    for activated, why in mistakes.items():
        if np.allclose(got, _mlp_forward(x, weights, biases, activated), atol=1e-8):
            raise Failed(f"MLP([2, 16, 16, 2]) {why}")


def dot(ev: Evidence) -> str:
    text = ev.get("text")
    if not isinstance(text, str) or not re.search(r"\bdigraph\b", text):
        raise Failed("to_dot(L) should return dot text starting with `digraph`")
    if text.count("{") != text.count("}"):
        raise Failed("to_dot(L) returned text with unbalanced braces; `dot` cannot read it")
    edges = text.count("->")
    if edges < 4:
        raise Failed(f"to_dot((a*b + c)**2) has {edges} edge(s); the graph has at least 4 "
                     "(a→*, b→*, *→+, c→+, +→**2)")
    small = ev.get("small_text")
    if isinstance(small, str) and (small == text or small.count("->") >= edges):
        raise Failed(f"to_dot(d*e) gives {'the same text' if small == text else 'as many edges'}"
                     " as to_dot((a*b + c)**2): write the text from the graph you are given, "
                     "walking its nodes from the root")
    return f"(a*b + c)**2 printed as dot with {edges} edges"


_TRACE = {"dL/da": r"[-−–]\s*24\b", "dL/db": r"(?<![\d.])16\b", "dL/dc": r"(?<![\d.-])8\b"}


def docs(ev: Evidence) -> str:
    text, words = read_notes(ev.learner_dir, write_what="the graph and gradient-flow "
                             "explanation", explain_what="the graph and the gradient flow")
    missing = [name for name, pattern in _TRACE.items() if not re.search(pattern, text)]
    if missing:
        raise Failed("the trace of L = (a*b + c)**2 at a=2, b=-3, c=10 in NOTES.md does not "
                     f"give the value of {', '.join(missing)}")
    return f"NOTES.md explains the graph in {words} words, with the traced gradients"
