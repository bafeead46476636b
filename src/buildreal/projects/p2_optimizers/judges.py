"""Project 2's judges: in the toolkit's process, they replay every experiment with
torch.optim, PyTorch's schedulers and autograd, and compare with what the learner's
playground returned (see ``probes``). A drifting update rule is also matched against
the usual mistakes (``mistakes``) so the verdict can name the bug."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.p2_optimizers import mistakes, rules
from buildreal.projects.p2_optimizers.reference import surfaces as ref_surfaces
from buildreal.projects.sandbox import Failed, read_notes

TOL = 1e-6


def _torch_twin(key: str) -> Callable[[list[Any]], Any]:
    import torch

    _, kw = rules.CASES[key]
    cls = {"SGD": torch.optim.SGD, "Momentum": torch.optim.SGD, "Nesterov": torch.optim.SGD,
           "RMSprop": torch.optim.RMSprop, "Adam": torch.optim.Adam,
           "AdamW": torch.optim.AdamW}[rules.CASES[key][0]]
    extra = {"nesterov": True} if key == "nesterov" else {}
    return lambda params: cls(params, **kw, **extra)


@functools.cache
def reference_trajectory(key: str) -> np.ndarray:
    """torch.optim's path for one case on the fixed gradients (the same for every learner,
    so computed once per process)."""
    import torch

    noise = rules.gradient_noise(rules.STEPS)
    p = torch.tensor(rules.P0, dtype=torch.float64, requires_grad=True)
    opt = _torch_twin(key)([p])
    out = [rules.P0.copy()]
    for t in range(len(noise)):
        with torch.no_grad():
            p.grad = torch.tensor(rules.CURVATURE * p.detach().numpy() + noise[t])
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)  # (steps + 1, 2)


def _compare(ev: Evidence, keys: tuple[str, ...]) -> tuple[list[str], float]:
    paths = ev.get("paths")
    errors = ev.get("errors")
    if not isinstance(paths, dict) or not isinstance(errors, dict):
        raise Failed("the check received no trajectories from your optimizers")
    problems, worst = [], 0.0
    noise = rules.gradient_noise(rules.STEPS)
    for key in keys:
        cls_name, kwargs = rules.CASES[key]
        label = cls_name + (f"(weight_decay={kwargs['weight_decay']})"
                            if key in rules.DECAY else "")
        if key in errors:
            problems.append(f"{label}: {errors[key]}")
            continue
        in_place = ev.get("in_place")
        if isinstance(in_place, dict) and key in in_place:
            problems.append(f"{label}.step changed the params array passed to it (in "
                            f"place, from step {in_place[key]}): return new parameters "
                            "(params - ...), never params -= ..., or every point run() keeps "
                            "of the path is one array that moves along")
            continue
        ours = np.asarray(paths.get(key), dtype=np.float64)
        theirs = reference_trajectory(key)
        if ours.ndim != 2 or ours.shape[1:] != (2,):
            problems.append(f"{label}: step() did not return 2 numbers")
            continue
        n = min(len(ours), len(theirs))
        diff = np.max(np.abs(ours[:n] - theirs[:n]), axis=1)  # (n,)
        bad = np.nonzero(~(diff <= TOL))[0]
        if len(ours) < len(theirs) and not bad.size:
            bad = np.array([n])
        if bad.size:
            step = int(bad[0])
            gap = f"|Δ| = {diff[step]:.2g}" if step < n else "the parameters became NaN or inf"
            guess = mistakes.diagnose(key, kwargs, ours, rules.P0, noise, rules.CURVATURE)
            problems.append(f"{label} leaves torch.optim at step {step} ({gap})"
                            + (f"; it matches {guess}" if guess else ""))
        else:
            worst = max(worst, float(diff.max()))
    return problems, worst


def update_rules(ev: Evidence) -> str:
    problems, worst = _compare(ev, rules.RULES)
    if problems:
        raise Failed(f"{len(problems)} of 6 update rules are wrong or unfinished: "
                     + "; ".join(problems), str(ev.data.get("first_crash") or ""))
    return (f"SGD, Momentum, Nesterov, RMSprop, Adam and AdamW follow torch.optim for "
            f"{rules.STEPS} steps (largest gap {worst:.1e})")


def weight_decay(ev: Evidence) -> str:
    problems, worst = _compare(ev, rules.DECAY)
    if problems:
        raise Failed(f"weight_decay is wrong in {len(problems)} of 3 optimizers: "
                     + "; ".join(problems), str(ev.data.get("first_crash") or ""))
    return (f"weight_decay of SGD, Adam (L2) and AdamW (decoupled) follows torch.optim for "
            f"{rules.STEPS} steps (largest gap {worst:.1e})")


def schedules(ev: Evidence) -> str:
    import torch

    base, total = 0.1, rules.SCHEDULE_STEPS
    cases = {
        "step_decay": ("step_decay(t, 0.1, step_size=30, gamma=0.5)",
                       lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=30, gamma=0.5)),
        "cosine": ("cosine(t, 0.1, total_steps=120, min_lr=0.001)",
                   lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total,
                                                                        eta_min=0.001)),
        "linear_warmup": ("linear_warmup(t, 0.1, warmup_steps=20)",
                          lambda o: torch.optim.lr_scheduler.LinearLR(
                              o, start_factor=1 / 20, end_factor=1.0, total_iters=19)),
    }
    for key, (label, make) in cases.items():
        got_all = ev.array(key, shape=(total,))
        param = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([param], lr=base)
        sched = make(opt)
        for t in range(total):
            want = sched.get_last_lr()[0]
            got = float(got_all[t])
            if not abs(got - want) <= 1e-9 + 1e-7 * abs(want):
                raise Failed(f"{label} gives {got:.6g} at step {t}; PyTorch's scheduler gives "
                             f"{want:.6g}")
            opt.step()
            sched.step()
    clipped = ev.items("clipped")
    for (g0, max_norm), got in zip(rules.CLIP_CASES, clipped, strict=True):
        got = np.asarray(got, dtype=np.float64)
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


def _point(p: np.ndarray) -> str:
    return f"({p[0]:.3g}, {p[1]:.3g})"


def surfaces(ev: Evidence) -> str:
    import torch

    names = ev.items("names")
    for name, ref in ref_surfaces.SURFACES.items():
        if name not in names or not ev.has(name):
            raise Failed(f"SURFACES has no {name!r} (it has {sorted(names)})")
        entry = ev.get(name)
        for i, p in enumerate(rules.SURFACE_POINTS):
            got = float(entry["values"][i])
            want = float(ref.value(p))
            if not np.isclose(got, want, rtol=1e-9, atol=1e-9):
                raise Failed(f"{name}: value at {_point(p)} is {got:.6g}, "
                             f"expected {want:.6g} ({ref.formula})")
            t = torch.tensor(p, dtype=torch.float64, requires_grad=True)
            _torch_value(name, t).backward()
            want_g = t.grad.numpy()
            got_g = np.asarray(entry["grads"][i], dtype=np.float64).reshape(-1)
            if got_g.shape != (2,) or not np.allclose(got_g, want_g, rtol=1e-7, atol=1e-7):
                axis = "x" if got_g.shape == (2,) and abs(got_g[0] - want_g[0]) > \
                    abs(got_g[1] - want_g[1]) else "y"
                raise Failed(f"{name}: gradient at {_point(p)} is "
                             f"{np.round(got_g, 5).tolist()}, PyTorch autograd says "
                             f"{np.round(want_g, 5).tolist()} (check ∂f/∂{axis})")
    return "values and gradients of all five surfaces match PyTorch autograd at 6 points"


def _surfaces_present(ev: Evidence) -> None:
    if ev.flag("missing_surface"):
        raise Failed("SURFACES lacks rosenbrock or ill_conditioned; write those surfaces "
                     "first")


def reproducible(ev: Evidence) -> str:
    _surfaces_present(ev)
    pa, pb, pc = (np.asarray(p, dtype=np.float64) for p in ev.items("paths"))
    if pa.shape != pb.shape or not np.array_equal(pa, pb):
        raise Failed("two runs with seed=3 and noise=0.5 took different paths: draw the "
                     "noise from np.random.default_rng(seed), not from global randomness")
    if pa.shape == pc.shape and np.array_equal(pa, pc):
        raise Failed("seed=3 and seed=4 gave the same noisy path: the seed is not used")
    start = ev.array("start", shape=(2,))
    if not np.allclose(pa[0], start):
        raise Failed(f"the path starts at {pa[0].tolist()}, not at the surface's start "
                     f"{start.tolist()}")
    starts = {tuple(np.asarray(s, dtype=np.float64)) for s in ev.items("compare_starts")}
    if len(ev.items("compare_starts")) != 3 or len(starts) != 1:
        raise Failed(f"compare() should give 3 runs that all start at one point; got "
                     f"{len(ev.items('compare_starts'))} runs starting at {sorted(starts)}")
    noisy = ev.get("compare_noisy")
    if isinstance(noisy, list) and len(noisy) == 3:
        a3, b3, a4 = ([np.asarray(p, dtype=np.float64) for p in runs] for runs in noisy)
        same = [x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a3, b3,
                                                                            strict=False)]
        if not all(same) or len(a3) != len(b3):
            raise Failed("compare(..., seed=3, noise=0.5) twice gave different paths: pass "
                         "the seed on to run(), which draws the noise from it")
        if len(a3) == len(a4) and all(x.shape == y.shape and np.array_equal(x, y)
                                      for x, y in zip(a3, a4, strict=True)):
            raise Failed("compare(..., noise=0.5) gives the same paths with seed=3 and seed=4:"
                         " compare must pass seed and noise on to run()")
    return "same seed, same path; a new seed changes the noise; every optimizer starts " \
        "at the same point"


def plots(ev: Evidence) -> str:
    _surfaces_present(ev)
    files = ev.items("files")
    png = [f for f in files if f.get("suffix") == ".png"]
    svg = [f for f in files if f.get("suffix") == ".svg"]
    if not png or not svg:
        raise Failed(f"plot_paths returned {[f.get('name') for f in files]}; it should write "
                     "and return one .png and one .svg")
    if not png[0]["exists"] or bytes(png[0]["head"]) != b"\x89PNG\r\n\x1a\n":
        raise Failed(f"{png[0]['name']} is missing or not a PNG image")
    text = svg[0].get("svg") or ""
    if not svg[0]["exists"] or "<svg" not in text:
        raise Failed(f"{svg[0]['name']} is missing or not an SVG document")
    lines = text.count("<path") + text.count("<polyline")
    if lines < 4:
        raise Failed("the SVG draws fewer than 4 lines: it needs the contours and one path "
                     "per optimizer")
    return f"plot_paths drew sgd, momentum and adam on rosenbrock as PNG and SVG ({lines} " \
        "drawn lines in the SVG)"


def table(ev: Evidence) -> str:
    _surfaces_present(ev)
    minimum = ev.number("minimum")
    for r in ev.items("runs"):
        path = np.asarray(r["path"], dtype=np.float64)
        losses = np.asarray(r["losses"], dtype=np.float64)
        want_final = float(ref_surfaces.SURFACES["ill_conditioned"].value(path[-1]))
        if not np.isclose(float(r["final_loss"]), want_final, rtol=1e-9, atol=1e-12):
            raise Failed(f"{r['optimizer']}: final_loss {r['final_loss']} is not the surface's "
                         f"value at the last point of the path ({want_final:.6g})")
        close = np.nonzero(losses - minimum < r["tol"])[0]
        want_steps = int(close[0]) if close.size else None
        if r["steps_to_tol"] != want_steps:
            raise Failed(f"{r['optimizer']}: steps_to_tol is {r['steps_to_tol']}, but its "
                         f"losses first come within {r['tol']:g} of the minimum at step "
                         f"{want_steps}")
        if r["diverged"]:
            raise Failed(f"{r['optimizer']} on ill_conditioned with its default rate is marked "
                         "diverged, yet it converges")
    if not ev.flag("blown_diverged"):
        raise Failed("SGD with lr 0.05 on rosenbrock blows up within a few steps, but the run "
                     "is not marked diverged (test for non-finite or huge values)")
    text = ev.get("table")
    if not isinstance(text, str) or "sgd" not in text.lower():
        raise Failed("comparison_table(runs) should return text naming each optimizer")
    race = ev.get("race_table")
    if ev.has("race_table"):
        missing = [str(r["optimizer"]) for r in ev.items("runs")
                   if not isinstance(race, str) or str(r["optimizer"]).lower() not in race.lower()
                   or (r["steps_to_tol"] is not None
                       and not re.search(rf"(?<![\d.]){r['steps_to_tol']}(?!\d)", race))]
        if missing or race == text:
            raise Failed("comparison_table(runs) for sgd, momentum and adam on ill_conditioned "
                         f"does not show {', '.join(missing) or 'them'} with its steps to "
                         "tolerance: build the table from the runs it is given, one row each")
    if ev.has("options_path"):
        _run_options(ev.array("options_path"))
    return "final loss, steps to tolerance and divergence agree with the paths; a blow-up " \
        "is flagged"


def _replay(clip_first: bool, offset: int = 0, schedule: bool = True,
            clip: bool = True) -> np.ndarray:
    """The path run(rosenbrock, Adam(lr=RUN_LR), ...) takes with rules.RUN_OPTIONS, made
    here with the reference optimizer; the switches replay the usual mistakes."""
    from buildreal.projects.p2_optimizers.reference.optimizers import Adam
    from buildreal.projects.p2_optimizers.reference.schedules import clip_grad_norm

    o = rules.RUN_OPTIONS
    surface = ref_surfaces.SURFACES["rosenbrock"]
    opt, rng = Adam(lr=rules.RUN_LR), np.random.default_rng(o["seed"])
    p = np.array(surface.start, dtype=np.float64)
    path = [p]
    for t in range(o["steps"]):
        g, jitter = surface.gradient(p), rng.normal(0.0, o["noise"], 2)
        if clip and clip_first:
            g = clip_grad_norm(g, o["clip"]) + jitter
        else:
            g = g + jitter
            g = clip_grad_norm(g, o["clip"]) if clip else g
        if schedule:
            opt.lr = rules.run_schedule(t + offset)
        p = opt.step(p, g)
        if not np.all(np.isfinite(p)) or np.max(np.abs(p)) > 1e6:
            break
        path.append(p)
    return np.array(path)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-7, atol=1e-9)


def _run_options(path: np.ndarray) -> None:
    """run() with noise, a schedule and clipping follows the path those options make
    (noise added before or after clipping: the starter leaves the order open)."""
    if any(_same(path, _replay(first)) for first in (False, True)):
        return
    call = (f"run(rosenbrock, Adam(lr={rules.RUN_LR}), {rules.RUN_OPTIONS['steps']}, seed=1, "
            f"noise=0.3, schedule=..., clip=5.0)")
    mistakes_ = (({"offset": 1}, "calls schedule(t + 1): the first step must use schedule(0)"),
                 ({"offset": -1}, "applies schedule(t) one step late"),
                 ({"schedule": False}, "ignores the schedule"),
                 ({"clip": False}, "ignores clip: the gradient must be clipped to that norm"))
    for kwargs, why in mistakes_:
        if any(_same(path, _replay(first, **kwargs)) for first in (False, True)):
            raise Failed(f"{call} {why}")
    want = _replay(False)
    n = min(len(path), len(want))
    gap = np.max(np.abs(path[:n] - want[:n]), axis=-1) if path.ndim == 2 else np.array([1.0])
    step = int(np.argmax(gap > 1e-6)) if (gap > 1e-6).any() else n
    raise Failed(f"{call} leaves the path those options make at point {step} (is each step "
                 "noise, clip, the scheduled lr, then the optimizer's step?)")


def notes(ev: Evidence) -> str:
    text, words = read_notes(ev.learner_dir, write_what="what you observed and why",
                             explain_what="the differences")
    lower = text.lower()
    named = [n for n in ("sgd", "momentum", "nesterov", "rmsprop", "adam") if n in lower]
    if len(named) < 3:
        raise Failed(f"NOTES.md discusses {named or 'no optimizer'}; compare at least three")
    places = [n for n in ("rosenbrock", "himmelblau", "beale", "saddle", "ill") if n in lower]
    if not places:
        raise Failed("NOTES.md names no surface: say where you saw each difference")
    return f"NOTES.md compares {', '.join(named)} in {words} words"
