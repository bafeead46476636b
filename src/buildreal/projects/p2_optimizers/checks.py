"""Project 2's Definition of Done, judged against a learner's ``playground/`` package.

Update rules are compared step by step with torch.optim (float64, same hyperparameters,
same gradients) for 1,000 steps. When a rule drifts, the learner's trajectory is also
compared with the usual mistakes (no bias correction, momentum on the wrong term, ...),
so the verdict can say which mistake it looks like rather than only where it drifted.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from buildreal.projects.base import CheckResult
from buildreal.projects.p2_optimizers import mistakes
from buildreal.projects.p2_optimizers.reference import surfaces as ref_surfaces
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

DOD_RULES = "Each update rule matches torch.optim over 1,000 steps"
DOD_SCHEDULES = "Step, cosine and warmup schedules and gradient-norm clipping match PyTorch"
DOD_SURFACES = "The five surfaces and their gradients are right"
DOD_REPRO = "Runs are reproducible: identical starts and fixed seeds"
DOD_PLOTS = "Visualizations for at least three optimizers (PNG and SVG)"
DOD_TABLE = "A clear comparison of convergence: final loss, steps to tolerance, divergence"
DOD_NOTES = "Written explanation of observed differences (NOTES.md)"
DEFINITION_OF_DONE = (DOD_RULES, DOD_SCHEDULES, DOD_SURFACES, DOD_REPRO, DOD_PLOTS, DOD_TABLE,
                      DOD_NOTES)

STEPS = 1000
TOL = 1e-6
_CURVATURE = np.array([1.0, 10.0])  # the gradient source: f = ½ Σ c_i p_i², plus noise

def _torch_factories() -> dict[str, tuple[str, dict[str, Any], Callable[[list[Any]], Any]]]:
    """key -> (class name in the learner's optimizers.py, its kwargs, the torch twin)."""
    import torch

    return {
        "sgd": ("SGD", {"lr": 0.05}, lambda p: torch.optim.SGD(p, lr=0.05)),
        "momentum": ("Momentum", {"lr": 0.02, "momentum": 0.9},
                     lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9)),
        "nesterov": ("Nesterov", {"lr": 0.02, "momentum": 0.9},
                     lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9, nesterov=True)),
        # eps larger than the default, so that where eps sits (inside or outside the
        # square root) changes the trajectory by more than the tolerance
        "rmsprop": ("RMSprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-4},
                    lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-4)),
        "adam": ("Adam", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-4},
                 lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-4)),
        "adamw": ("AdamW", {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-4,
                            "weight_decay": 0.1},
                  lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.9, 0.999), eps=1e-4,
                                              weight_decay=0.1)),
    }


def gradient_noise(steps: int) -> np.ndarray:
    return np.random.default_rng(2024).normal(0.0, 0.1, (steps, 2))  # (steps, 2)


def torch_trajectory(factory: Callable[[list[Any]], Any], p0: np.ndarray,
                     noise: np.ndarray) -> np.ndarray:
    import torch

    p = torch.tensor(p0, dtype=torch.float64, requires_grad=True)
    opt = factory([p])
    out = [p0.copy()]
    for t in range(len(noise)):
        with torch.no_grad():
            p.grad = torch.tensor(_CURVATURE * p.detach().numpy() + noise[t])
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)  # (steps + 1, 2)


@functools.cache
def _reference_trajectory(key: str) -> np.ndarray:
    """torch.optim's path for one rule on the check's fixed gradients; the same for every
    learner, so one process computes it once (a test suite judges many variants)."""
    factory = _torch_factories()[key][2]
    return torch_trajectory(factory, _P0, gradient_noise(STEPS))


def learner_trajectory(opt: Any, p0: np.ndarray, noise: np.ndarray) -> np.ndarray:
    p = p0.copy()
    out = [p0.copy()]
    for t in range(len(noise)):
        g = _CURVATURE * p + noise[t]
        new = opt.step(p.copy(), g.copy())
        p = np.asarray(new, dtype=np.float64).reshape(2)
        out.append(p.copy())
        if not np.all(np.isfinite(p)):
            break
    return np.array(out)


_P0 = np.array([1.5, -1.0])  # every rule starts here


def check_rules(optimizers: ModuleType, learner_dir: Path) -> str:
    p0 = _P0
    noise = gradient_noise(STEPS)
    problems, worst, first_crash = [], 0.0, ""
    for key, (cls_name, kwargs, _) in _torch_factories().items():
        (cls,) = require(optimizers, cls_name)
        try:
            ours = learner_trajectory(cls(**kwargs), p0, noise)
        except Exception as exc:  # one unfinished rule must not hide the verdict on others
            problems.append(f"{cls_name}: raised {type(exc).__name__}: {short(str(exc), 100)}")
            first_crash = first_crash or learner_frame(exc, learner_dir)
            continue
        theirs = _reference_trajectory(key)
        n = min(len(ours), len(theirs))
        diff = np.max(np.abs(ours[:n] - theirs[:n]), axis=1)  # (n,)
        bad = np.nonzero(~(diff <= TOL))[0]
        if len(ours) < len(theirs) and not bad.size:
            bad = np.array([n])
        if bad.size:
            step = int(bad[0])
            gap = f"|Δ| = {diff[step]:.2g}" if step < n else "the parameters became NaN or inf"
            guess = mistakes.diagnose(key, kwargs, ours, p0, noise, _CURVATURE)
            problems.append(f"{cls_name} leaves torch.optim at step {step} ({gap})"
                            + (f"; it matches {guess}" if guess else ""))
        else:
            worst = max(worst, float(diff.max()))
    if problems:
        raise Failed(f"{len(problems)} of 6 update rules are wrong or unfinished: "
                     + "; ".join(problems), first_crash)
    return (f"SGD, Momentum, Nesterov, RMSprop, Adam and AdamW follow torch.optim for {STEPS} "
            f"steps (largest gap {worst:.1e})")


def check_schedules(schedules: ModuleType) -> str:
    import torch

    step_decay, cosine, linear_warmup, clip_grad_norm = require(
        schedules, "step_decay", "cosine", "linear_warmup", "clip_grad_norm")
    base, total = 0.1, 120
    cases = {
        "step_decay(t, 0.1, step_size=30, gamma=0.5)": (
            lambda t: step_decay(t, base, 30, 0.5),
            lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=30, gamma=0.5)),
        "cosine(t, 0.1, total_steps=120, min_lr=0.001)": (
            lambda t: cosine(t, base, total, 0.001),
            lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total,
                                                                 eta_min=0.001)),
        "linear_warmup(t, 0.1, warmup_steps=20)": (
            lambda t: linear_warmup(t, base, 20),
            lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / 20,
                                                        end_factor=1.0, total_iters=19)),
    }
    for label, (ours, make) in cases.items():
        param = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([param], lr=base)
        sched = make(opt)
        for t in range(total):
            want = sched.get_last_lr()[0]
            got = float(ours(t))
            if not abs(got - want) <= 1e-9 + 1e-7 * abs(want):
                raise Failed(f"{label} gives {got:.6g} at step {t}; PyTorch's scheduler gives "
                             f"{want:.6g}")
            opt.step()
            sched.step()
    for g0, max_norm in ((np.array([30.0, -40.0]), 5.0), (np.array([0.3, 0.4]), 5.0),
                         (np.array([3.0, 4.0]), 5.0)):
        got = np.asarray(clip_grad_norm(g0.copy(), max_norm), dtype=np.float64)
        t = torch.tensor(g0.copy(), requires_grad=True)
        t.grad = torch.tensor(g0.copy())
        torch.nn.utils.clip_grad_norm_([t], max_norm)
        want = t.grad.numpy()
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5, atol=1e-9):
            raise Failed(f"clip_grad_norm({g0.tolist()}, max_norm={max_norm}) returned "
                         f"{np.round(got, 6).tolist()}; expected {np.round(want, 6).tolist()}"
                         " (scale the whole vector so its L2 norm is at most max_norm)")
    return "step decay, cosine and warmup match PyTorch's schedulers over 120 steps; " \
        "clipping matches clip_grad_norm_"


def check_surfaces(surfaces_mod: ModuleType) -> str:
    import torch

    (learner,) = require(surfaces_mod, "SURFACES")
    rng = np.random.default_rng(5)
    points = rng.uniform(-2.0, 2.0, (6, 2))
    for name, ref in ref_surfaces.SURFACES.items():
        if name not in learner:
            raise Failed(f"SURFACES has no {name!r} (it has {sorted(learner)})")
        s = learner[name]
        for p in points:
            got = float(np.asarray(s.value(p.copy())))
            want = float(ref.value(p))
            if not np.isclose(got, want, rtol=1e-9, atol=1e-9):
                raise Failed(f"{name}: value at {_point(p)} is {got:.6g}, "
                             f"expected {want:.6g} ({ref.formula})")
            t = torch.tensor(p, dtype=torch.float64, requires_grad=True)
            _torch_value(name, t).backward()
            want_g = t.grad.numpy()
            got_g = np.asarray(s.gradient(p.copy()), dtype=np.float64).reshape(-1)
            if got_g.shape != (2,) or not np.allclose(got_g, want_g, rtol=1e-7, atol=1e-7):
                axis = "x" if got_g.shape == (2,) and abs(got_g[0] - want_g[0]) > \
                    abs(got_g[1] - want_g[1]) else "y"
                raise Failed(f"{name}: gradient at {_point(p)} is "
                             f"{np.round(got_g, 5).tolist()}, PyTorch autograd says "
                             f"{np.round(want_g, 5).tolist()} (check ∂f/∂{axis})")
    return "values and gradients of all five surfaces match PyTorch autograd at 6 points"


def _point(p: np.ndarray) -> str:
    return f"({p[0]:.3g}, {p[1]:.3g})"


def _surface(surfaces: Any, name: str) -> Any:
    try:
        return surfaces[name]
    except (KeyError, TypeError, IndexError):
        raise Failed(f"SURFACES has no {name!r}; write that surface first") from None


def _torch_value(name: str, p: Any) -> Any:
    x, y = p[0], p[1]
    return {
        "rosenbrock": lambda: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        "himmelblau": lambda: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
        "beale": lambda: ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
                          + (2.625 - x + x * y**3) ** 2),
        "saddle": lambda: x**2 + y**4 / 4 - y**2 / 2,
        "ill_conditioned": lambda: (x**2 + 50 * y**2) / 2,
    }[name]()


def check_repro(runs_mod: ModuleType, surfaces_mod: ModuleType,
                optimizers: ModuleType) -> str:
    run, compare = require(runs_mod, "run", "compare")
    (surfaces,) = require(surfaces_mod, "SURFACES")
    (Adam,) = require(optimizers, "Adam")  # noqa: N806
    s = _surface(surfaces, "rosenbrock")
    a = run(s, Adam(lr=0.01), 200, seed=3, noise=0.5)
    b = run(s, Adam(lr=0.01), 200, seed=3, noise=0.5)
    c = run(s, Adam(lr=0.01), 200, seed=4, noise=0.5)
    pa, pb, pc = (np.asarray(r.path, dtype=np.float64) for r in (a, b, c))
    if pa.shape != pb.shape or not np.array_equal(pa, pb):
        raise Failed("two runs with seed=3 and noise=0.5 took different paths: draw the "
                     "noise from np.random.default_rng(seed), not from global randomness")
    if pa.shape == pc.shape and np.array_equal(pa, pc):
        raise Failed("seed=3 and seed=4 gave the same noisy path: the seed is not used")
    if not np.allclose(pa[0], s.start):
        raise Failed(f"the path starts at {pa[0].tolist()}, not at the surface's start "
                     f"{list(s.start)}")
    _surface(surfaces, "ill_conditioned")
    runs = compare("ill_conditioned", ["sgd", "momentum", "adam"], 50, seed=0)
    starts = {tuple(np.asarray(r.path, dtype=np.float64)[0]) for r in runs}
    if len(runs) != 3 or len(starts) != 1:
        raise Failed(f"compare() should give 3 runs that all start at one point; got "
                     f"{len(runs)} runs starting at {sorted(starts)}")
    return "same seed, same path; a new seed changes the noise; every optimizer starts " \
        "at the same point"


def check_plots(plots_mod: ModuleType, runs_mod: ModuleType, surfaces_mod: ModuleType) -> str:
    (plot_paths,) = require(plots_mod, "plot_paths")
    (compare,) = require(runs_mod, "compare")
    (surfaces,) = require(surfaces_mod, "SURFACES")
    runs = compare("rosenbrock", ["sgd", "momentum", "adam"], 300, seed=0)
    with tempfile.TemporaryDirectory(prefix="p2-plots-") as tmp:
        stem = Path(tmp) / "paths"
        written = [Path(p) for p in plot_paths(_surface(surfaces, "rosenbrock"), runs, stem)]
        png = [p for p in written if p.suffix == ".png"]
        svg = [p for p in written if p.suffix == ".svg"]
        if not png or not svg:
            raise Failed(f"plot_paths returned {[p.name for p in written]}; it should write "
                         "and return one .png and one .svg")
        if not png[0].is_file() or png[0].read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            raise Failed(f"{png[0].name} is missing or not a PNG image")
        head = svg[0].read_text(encoding="utf-8", errors="replace") if svg[0].is_file() else ""
        if "<svg" not in head:
            raise Failed(f"{svg[0].name} is missing or not an SVG document")
        lines = head.count("<path") + head.count("<polyline")
    if lines < 4:
        raise Failed("the SVG draws fewer than 4 lines: it needs the contours and one path "
                     "per optimizer")
    return f"plot_paths drew sgd, momentum and adam on rosenbrock as PNG and SVG ({lines} " \
        "drawn lines in the SVG)"


def check_table(runs_mod: ModuleType, surfaces_mod: ModuleType, optimizers: ModuleType) -> str:
    run, compare, comparison_table = require(runs_mod, "run", "compare", "comparison_table")
    (surfaces,) = require(surfaces_mod, "SURFACES")
    (SGD,) = require(optimizers, "SGD")  # noqa: N806
    s = _surface(surfaces, "ill_conditioned")
    for r in compare("ill_conditioned", ["sgd", "momentum", "adam"], 400, seed=0):
        path = np.asarray(r.path, dtype=np.float64)
        losses = np.asarray(r.losses, dtype=np.float64)
        want_final = float(ref_surfaces.SURFACES["ill_conditioned"].value(path[-1]))
        if not np.isclose(float(r.final_loss), want_final, rtol=1e-9, atol=1e-12):
            raise Failed(f"{r.optimizer}: final_loss {r.final_loss} is not the surface's value "
                         f"at the last point of the path ({want_final:.6g})")
        close = np.nonzero(losses - s.minimum < r.tol)[0]
        want_steps = int(close[0]) if close.size else None
        if r.steps_to_tol != want_steps:
            raise Failed(f"{r.optimizer}: steps_to_tol is {r.steps_to_tol}, but its losses "
                         f"first come within {r.tol:g} of the minimum at step {want_steps}")
        if r.diverged:
            raise Failed(f"{r.optimizer} on ill_conditioned with its default rate is marked "
                         "diverged, yet it converges")
    blown = run(_surface(surfaces, "rosenbrock"), SGD(lr=0.05), 200)
    if not blown.diverged:
        raise Failed("SGD with lr 0.05 on rosenbrock blows up within a few steps, but the run "
                     "is not marked diverged (test for non-finite or huge values)")
    table = comparison_table([blown])
    if not isinstance(table, str) or "sgd" not in table.lower():
        raise Failed("comparison_table(runs) should return text naming each optimizer")
    return "final loss, steps to tolerance and divergence agree with the paths; a blow-up " \
        "is flagged"


def check_notes(learner_dir: Path) -> str:
    text, words = read_notes(learner_dir, write_what="what you observed and why",
                             explain_what="the differences")
    lower = text.lower()
    named = [n for n in ("sgd", "momentum", "nesterov", "rmsprop", "adam") if n in lower]
    if len(named) < 3:
        raise Failed(f"NOTES.md discusses {named or 'no optimizer'}; compare at least three")
    surfaces = [n for n in ("rosenbrock", "himmelblau", "beale", "saddle", "ill") if n in lower]
    if not surfaces:
        raise Failed("NOTES.md names no surface: say where you saw each difference")
    return f"NOTES.md compares {', '.join(named)} in {words} words"


def run_checks(learner_dir: Path) -> Iterator[CheckResult]:
    """Judge every DoD item in order; yields each verdict as soon as it is reached."""
    judge = Judge(learner_dir)
    try:
        package = load_package(learner_dir, "playground")
        optimizers = submodule(package, "optimizers")
        schedules = submodule(package, "schedules")
        surfaces = submodule(package, "surfaces")
        runs = submodule(package, "runs")
        plots = submodule(package, "plots")
    except Exception as exc:
        reason, detail = import_failure(exc, learner_dir, "playground")
        for dod in DEFINITION_OF_DONE[:-1]:
            yield CheckResult(dod, False, reason, 1, detail)
        yield judge.run(DOD_NOTES, 4, lambda: check_notes(learner_dir))
        return
    yield judge.run(DOD_RULES, 5, lambda: check_rules(optimizers, learner_dir))
    yield judge.run(DOD_SCHEDULES, 5, lambda: check_schedules(schedules))
    yield judge.run(DOD_SURFACES, 1, lambda: check_surfaces(surfaces))
    yield judge.run(DOD_REPRO, 3, lambda: check_repro(runs, surfaces, optimizers))
    yield judge.run(DOD_PLOTS, 2, lambda: check_plots(plots, runs, surfaces))
    yield judge.run(DOD_TABLE, 4, lambda: check_table(runs, surfaces, optimizers))
    yield judge.run(DOD_NOTES, 4, lambda: check_notes(learner_dir))
