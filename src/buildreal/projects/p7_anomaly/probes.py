"""Project 7's probes: run in the sandbox, they call the learner's ``anomaly`` package on
the fixed Shuttle subset the parent passed in and return scores, statistics and the rows
the autoencoder trained on. Verdicts are in ``judges``."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import torch

from buildreal.projects.p7_anomaly import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed


def _config(ctx: ProbeContext, **overrides: object) -> object:
    config_cls = ctx.require("TrainConfig")
    config = config_cls()
    unknown = [k for k in overrides if not hasattr(config, k)]
    if unknown:
        raise Failed(f"TrainConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **overrides) if dataclasses.is_dataclass(config) \
        else config_cls(**overrides)


def _splits(ctx: ProbeContext) -> dict[str, np.ndarray]:
    return {k: np.array(ctx.inputs[k]) for k in
            ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")}


def _scaler(detector: Any) -> dict[str, Any]:
    scaler = getattr(detector, "scaler", None)
    return {"mean": np.asarray(getattr(scaler, "mean", np.nan), dtype=np.float64),
            "std": np.asarray(getattr(scaler, "std", np.nan), dtype=np.float64)}


def _scores(values: Any) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    return np.asarray(values, dtype=np.float64)


def _scoring(ctx: ProbeContext, detector: Any, x: np.ndarray) -> dict[str, Any]:
    """How the detector scores rows: the first 64 test rows scored among all of them, the
    scaler's own transform of those rows, and ``reconstruction_error`` on that transform
    (each may be missing when the learner's detector has no such part)."""
    out: dict[str, Any] = {"scored_with_all": _scores(detector.score(x))[:64]}
    scaler, model = getattr(detector, "scaler", None), getattr(detector, "model", None)
    transform = getattr(scaler, "transform", None)
    if callable(transform):
        rows = np.asarray(transform(x[:64]), dtype=np.float32)  # (64, F)
        out["transformed"] = rows
        if isinstance(model, torch.nn.Module):
            error = ctx.require("reconstruction_error")
            out["error_of_transformed"] = _scores(error(model, torch.from_numpy(rows)))
    return out


def training(ctx: ProbeContext) -> dict[str, Any]:
    """One epoch of ``fit_detector``, recording every row fed to a module in training
    mode (a global forward pre-hook, so it works however the model is built)."""
    fit_detector = ctx.require("fit_detector")
    s = _splits(ctx)
    n_features = s["x_train"].shape[1]
    seen: list[torch.Tensor] = []
    last: list[tuple[int, tuple[int, ...]]] = []

    def hook(module: torch.nn.Module, args: tuple[Any, ...]) -> None:
        if not module.training or not args or not isinstance(args[0], torch.Tensor):
            return
        x = args[0]
        if x.ndim != 2 or x.shape[1] != n_features:
            return
        key = (x.data_ptr(), tuple(x.shape))
        if last and last[-1] == key:  # the same batch entering a child module
            return
        last.append(key)
        seen.append(x.detach().float().clone())

    handle = torch.nn.modules.module.register_module_forward_pre_hook(hook)
    try:
        detector = fit_detector(s["x_train"], s["y_train"], _config(ctx, epochs=1, seed=0))
    finally:
        handle.remove()
    rows = torch.cat(seen)[:5000] if seen else torch.zeros(0, n_features)
    return {"seen": rows, **_scaler(detector)}


def experiment(ctx: ProbeContext) -> dict[str, Any]:
    """``run_experiment`` on the subset, then again with only the test labels shuffled."""
    run_experiment, flag = ctx.require("run_experiment", "flag_anomalies")
    s = _splits(ctx)
    config = _config(ctx, epochs=plan.EPOCHS, seed=0)
    try:
        result = run_experiment(s, config)
    except Exception as exc:  # still judge the scores' shape, from fit_detector alone
        detector = ctx.require("fit_detector")(s["x_train"], s["y_train"], config)
        return {"experiment_error": ctx.crash(exc),
                "test_scores": _scores(detector.score(s["x_test"])),
                "repeat": [_scores(detector.score(s["x_test"][:64])),
                           _scores(detector.score(s["x_test"][:64]))], **_scaler(detector)}
    detector = result.detector
    # the same experiment on a changed test split (labels shuffled, a quarter of the rows
    # dropped): a threshold chosen on validation cannot move
    again = dict(s)
    keep = np.random.default_rng(1).permutation(len(s["y_test"]))[: 3 * len(s["y_test"]) // 4]
    again["x_test"] = s["x_test"][keep]
    again["y_test"] = np.random.default_rng(1).permutation(s["y_test"][keep])
    shuffled = run_experiment(again, config)
    test_scores = _scores(result.test_scores)
    out: dict[str, Any] = {
        "threshold": float(result.threshold),
        "threshold_test_shuffled": float(shuffled.threshold),
        "val_scores": _scores(result.val_scores),
        "test_scores": test_scores,
        "repeat": [_scores(detector.score(s["x_test"][:64])),
                   _scores(detector.score(s["x_test"][:64]))],
        **_scaler(detector),
        **_scoring(ctx, detector, s["x_test"]),
    }
    try:
        out["flags"] = np.asarray(flag(test_scores, float(result.threshold)), dtype=np.int64)
    except Exception as exc:  # judged by the flag check only
        out["flags_error"] = ctx.crash(exc)
    return out


def false_positives(ctx: ProbeContext) -> dict[str, Any]:
    top, feature_errors, reconstruction_error, build = ctx.require(
        "top_false_positives", "feature_errors", "reconstruction_error", "build_autoencoder")
    i = ctx.inputs
    listed = top(np.array(i["fp_scores"]), np.array(i["fp_labels"]),
                 float(i["fp_threshold"]), k=plan.FP_K)
    x = torch.from_numpy(np.array(i["fe_rows"]))  # (20, F), standardised
    model = build(x.shape[1], seed=0)
    return {"listed": [int(v) for v in listed],
            "feature_errors": _scores(feature_errors(model, x)),
            "scores": _scores(reconstruction_error(model, x))}


def reproducible(ctx: ProbeContext) -> dict[str, Any]:
    fit_detector = ctx.require("fit_detector")
    s = _splits(ctx)
    runs = []
    for scramble in (101, 202):
        torch.manual_seed(scramble)  # a different global state before each run
        np.random.seed(scramble)
        detector = fit_detector(s["x_train"], s["y_train"],
                                _config(ctx, epochs=2, seed=plan.REPRO_SEED))
        runs.append({"scores": _scores(detector.score(s["x_val"][:200])),
                     "history": [float(v) for v in getattr(detector, "history", []) or []]})
    return {"runs": runs}
