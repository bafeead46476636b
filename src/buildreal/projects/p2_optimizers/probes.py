"""Project 2's probes: run in the sandbox, they drive the learner's ``playground``
(update rules on fixed gradients, schedules, surfaces, runs, plots) and return the
numbers and texts it produced. Verdicts are in ``judges``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from buildreal.projects.p2_optimizers import rules
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import learner_frame


def _learner_trajectory(opt: Any, p0: np.ndarray, noise: np.ndarray
                        ) -> tuple[np.ndarray, int | None]:
    """The path (steps + 1, 2), shorter when it blew up, and the first step at which
    step() changed the parameter array it was given (None if it never did)."""
    p = p0.copy()
    out = [p0.copy()]
    in_place = None
    for t in range(len(noise)):
        g = rules.CURVATURE * p + noise[t]
        given, grad = p.copy(), g.copy()
        new = np.asarray(opt.step(given, grad), dtype=np.float64).reshape(2)
        if in_place is None and not np.array_equal(given, p, equal_nan=True):
            in_place = t + 1
        p = new.copy()
        out.append(p.copy())
        if not np.all(np.isfinite(p)):
            break
    return np.array(out), in_place


def trajectories(ctx: ProbeContext) -> dict[str, Any]:
    optimizers = ctx.module("optimizers")
    noise = rules.gradient_noise(rules.STEPS)
    paths: dict[str, Any] = {}
    in_place: dict[str, int] = {}
    errors: dict[str, str] = {}
    first_crash = ""
    for key, (cls_name, kwargs) in rules.CASES.items():
        cls = ctx.require(cls_name, module=optimizers)
        try:
            paths[key], changed_at = _learner_trajectory(cls(**kwargs), rules.P0, noise)
            if changed_at is not None:
                in_place[key] = changed_at
        except Exception as exc:  # one unfinished rule must not hide the others
            errors[key] = ctx.crash(exc)
            first_crash = first_crash or learner_frame(exc, ctx.learner_dir)
    return {"paths": paths, "in_place": in_place, "errors": errors,
            "first_crash": first_crash}


def schedules(ctx: ProbeContext) -> dict[str, Any]:
    step_decay, cosine, linear_warmup, clip_grad_norm = ctx.require(
        "step_decay", "cosine", "linear_warmup", "clip_grad_norm", module=ctx.module("schedules"))
    steps = range(rules.SCHEDULE_STEPS)
    return {
        "step_decay": [float(step_decay(t, 0.1, 30, 0.5)) for t in steps],
        "cosine": [float(cosine(t, 0.1, rules.SCHEDULE_STEPS, 0.001)) for t in steps],
        "linear_warmup": [float(linear_warmup(t, 0.1, 20)) for t in steps],
        "clipped": [np.asarray(clip_grad_norm(g.copy(), m), dtype=np.float64)
                    for g, m in rules.CLIP_CASES],
    }


def surfaces(ctx: ProbeContext) -> dict[str, Any]:
    learner = ctx.require("SURFACES", module=ctx.module("surfaces"))
    out: dict[str, Any] = {"names": sorted(str(k) for k in learner)}
    for name in rules.SURFACE_NAMES:
        if name not in learner:
            continue
        s = learner[name]
        out[name] = {
            "values": [float(np.asarray(s.value(p.copy()))) for p in rules.SURFACE_POINTS],
            "grads": [np.asarray(s.gradient(p.copy()), dtype=np.float64).reshape(-1)
                      for p in rules.SURFACE_POINTS]}
    return out


def _run_data(r: Any) -> dict[str, Any]:
    return {"optimizer": str(getattr(r, "optimizer", "")),
            "path": np.asarray(r.path, dtype=np.float64),
            "losses": np.asarray(r.losses, dtype=np.float64),
            "final_loss": float(r.final_loss), "tol": float(r.tol),
            "steps_to_tol": None if r.steps_to_tol is None else int(r.steps_to_tol),
            "diverged": bool(r.diverged)}


def _surface(surfaces: Any, name: str) -> Any:
    try:
        return surfaces[name]
    except (KeyError, TypeError, IndexError):
        return None


def reproducibility(ctx: ProbeContext) -> dict[str, Any]:
    run, compare = ctx.require("run", "compare", module=ctx.module("runs"))
    surfaces = ctx.require("SURFACES", module=ctx.module("surfaces"))
    adam = ctx.require("Adam", module=ctx.module("optimizers"))
    s = _surface(surfaces, "rosenbrock")
    if s is None or _surface(surfaces, "ill_conditioned") is None:
        return {"missing_surface": True}
    paths = [np.asarray(run(s, adam(lr=0.01), 200, seed=seed, noise=0.5).path,
                        dtype=np.float64) for seed in (3, 3, 4)]
    starts = [np.asarray(r.path, dtype=np.float64)[0]
              for r in compare("ill_conditioned", ["sgd", "momentum", "adam"], 50, seed=0)]
    noisy = [[np.asarray(r.path, dtype=np.float64)
              for r in compare("ill_conditioned", ["sgd", "adam"], 30, seed=seed, noise=0.5)]
             for seed in (3, 3, 4)]
    return {"missing_surface": False, "paths": paths, "start": np.asarray(s.start, float),
            "compare_starts": starts, "compare_noisy": noisy}


def plots(ctx: ProbeContext) -> dict[str, Any]:
    plot_paths = ctx.require("plot_paths", module=ctx.module("plots"))
    compare = ctx.require("compare", module=ctx.module("runs"))
    surfaces = ctx.require("SURFACES", module=ctx.module("surfaces"))
    s = _surface(surfaces, "rosenbrock")
    if s is None:
        return {"missing_surface": True}
    runs = compare("rosenbrock", ["sgd", "momentum", "adam"], 300, seed=0)
    written = [Path(p) for p in plot_paths(s, runs, ctx.scratch / "paths")]
    files = []
    for path in written:
        head = path.read_bytes()[:2_000_000] if path.is_file() else b""
        files.append({"name": path.name, "suffix": path.suffix, "exists": path.is_file(),
                      "head": list(head[:8]),
                      "svg": head.decode("utf-8", "replace") if path.suffix == ".svg" else ""})
    return {"missing_surface": False, "files": files}


def table(ctx: ProbeContext) -> dict[str, Any]:
    run, compare, comparison_table = ctx.require("run", "compare", "comparison_table",
                                                 module=ctx.module("runs"))
    surfaces = ctx.require("SURFACES", module=ctx.module("surfaces"))
    sgd = ctx.require("SGD", module=ctx.module("optimizers"))
    s, rosen = _surface(surfaces, "ill_conditioned"), _surface(surfaces, "rosenbrock")
    if s is None or rosen is None:
        return {"missing_surface": True}
    raced = compare("ill_conditioned", ["sgd", "momentum", "adam"], 400, seed=0)
    runs = [_run_data(r) for r in raced]
    blown = run(rosen, sgd(lr=0.05), 200)
    text = comparison_table([blown])
    race_text = comparison_table(raced)
    adam = ctx.require("Adam", module=ctx.module("optimizers"))
    options = run(rosen, adam(lr=rules.RUN_LR), rules.RUN_OPTIONS["steps"],
                  seed=rules.RUN_OPTIONS["seed"], noise=rules.RUN_OPTIONS["noise"],
                  schedule=rules.run_schedule, clip=rules.RUN_OPTIONS["clip"])
    return {"missing_surface": False, "runs": runs, "minimum": float(s.minimum),
            "blown_diverged": bool(blown.diverged),
            "table": text if isinstance(text, str) else None,
            "race_table": race_text if isinstance(race_text, str) else None,
            "options_path": np.asarray(options.path, dtype=np.float64)}
