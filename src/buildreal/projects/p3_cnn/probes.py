"""Project 3's probes: run in the sandbox, they build, train and query the learner's
``cnn`` package on the Fashion-MNIST images the parent passed in, and return logits,
images and weights as arrays. Verdicts are in ``judges``."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch.optim.optimizer import register_optimizer_step_pre_hook

from buildreal.projects.p3_cnn import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed


def _data(ctx: ProbeContext) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    i = ctx.inputs
    return (torch.from_numpy(np.array(i["x_head"])), torch.from_numpy(np.array(i["y_head"])),
            torch.from_numpy(np.array(i["x_tail"])), torch.from_numpy(np.array(i["y_tail"])))


def _config(ctx: ProbeContext, **overrides: object) -> object:
    config_cls = ctx.require("TrainConfig")
    config = config_cls()
    unknown = [k for k in overrides if not hasattr(config, k)]
    if unknown:
        raise Failed(f"TrainConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **overrides) if dataclasses.is_dataclass(config) \
        else config_cls(**overrides)


def overfit(ctx: ProbeContext) -> dict[str, Any]:
    build_model = ctx.require("build_model")
    x, y, _, _ = _data(ctx)
    xb, yb = x[: plan.OVERFIT_N], y[: plan.OVERFIT_N]
    torch.manual_seed(0)
    model = build_model(10, seed=0)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    steps, out = 0, None
    for step in range(1, plan.OVERFIT_STEPS + 1):
        steps = step
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        if loss.item() < plan.OVERFIT_LOSS:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        final = model(xb)
    return {"steps": steps, "logits": out.detach() if out is not None else None,
            "final_outputs": final,
            "has_grad": any(p.requires_grad and p.grad is not None for p in model.parameters())}


def outputs(ctx: ProbeContext) -> dict[str, Any]:
    build_model, predict_proba = ctx.require("build_model", "predict_proba")
    x, _, _, _ = _data(ctx)
    model = build_model(10, seed=0)
    xb = x[:7]
    model.eval()
    with torch.no_grad():
        logits = model(xb)
    probs = predict_proba(model, xb)
    return {"logits": logits, "probs": probs if isinstance(probs, torch.Tensor) else None,
            "probs_type": type(probs).__name__}


def augmentation(ctx: ProbeContext) -> dict[str, Any]:
    augment, build_model, predict_proba = ctx.require("augment", "build_model", "predict_proba")
    x, _, _, _ = _data(ctx)
    xb = x[:32].clone()
    gen = lambda seed: torch.Generator().manual_seed(seed)  # noqa: E731
    out: dict[str, Any] = {
        "evaluated": augment(xb.clone(), train=False, generator=gen(0)),
        "trained": augment(xb.clone(), train=True, generator=gen(0)),
    }
    try:
        out["flipped"] = augment(xb.clone(), train=True, generator=gen(1), max_shift=0,
                                 flip=True)
    except Exception as exc:
        out["flip_error"] = ctx.crash(exc)
    seeded = []
    for global_seed, seed in ((11, 3), (12, 3), (13, 4)):
        torch.manual_seed(global_seed)  # a different global state before each call
        seeded.append(augment(xb[:8].clone(), train=True, generator=gen(seed)))
    out["seeded"] = seeded
    model = build_model(10, seed=0)
    out["eval_twice"] = [predict_proba(model, xb[:8]), predict_proba(model, xb[:8])]
    return out


def _adder(sums: list[torch.Tensor], i: int) -> Any:
    def hook(grad: torch.Tensor) -> None:
        sums[i] += grad.detach()
    return hook


@contextlib.contextmanager
def _built_models(ctx: ProbeContext, on_build: Any = None) -> Iterator[list[torch.nn.Module]]:
    """While active, every model the learner's ``build_model`` makes (called from any of
    their modules) is appended to the yielded list, after ``on_build(model)``."""
    made: list[torch.nn.Module] = []
    modules = [ctx.package, ctx.module("train"), ctx.module("model")]
    originals = [(m, getattr(m, "build_model", None)) for m in modules]
    real_build = next(o for _, o in reversed(originals) if o is not None)

    def capturing(*args: Any, **kwargs: Any) -> torch.nn.Module:
        model = real_build(*args, **kwargs)
        if on_build is not None:
            on_build(model)
        made.append(model)
        return model

    for module, original in originals:
        if original is not None:
            module.build_model = capturing
    try:
        yield made
    finally:
        for module, original in originals:
            if original is not None:
                module.build_model = original


@contextlib.contextmanager
def _augment_calls(ctx: ProbeContext) -> Iterator[list[bool]]:
    """While active, the ``train`` flag of every call of the learner's ``augment`` (from
    any of their modules) that changed its input is appended to the yielded list."""
    changed: list[bool] = []
    modules = [ctx.package, ctx.module("train"), ctx.module("augment")]
    originals = [(m, getattr(m, "augment", None)) for m in modules]
    real = next((o for _, o in reversed(originals) if o is not None), None)

    def recording(x: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        out = real(x, *args, **kwargs)  # type: ignore[misc]
        if isinstance(out, torch.Tensor) and (out.shape != x.shape or not torch.equal(out, x)):
            changed.append(bool(kwargs.get("train", args[0] if args else True)))
        return out

    if real is not None:
        for module, original in originals:
            if original is not None:
                module.augment = recording
    try:
        yield changed
    finally:
        for module, original in originals:
            if original is not None:
                module.augment = original


def early_stopping(ctx: ProbeContext) -> dict[str, Any]:
    """Train with validation labels deranged (class c scored as c+1), so validation
    accuracy falls as the model learns: the best validation epoch is an early one, and
    the weights returned show whether training kept it. Each epoch's validation logits
    are recorded through ``on_epoch`` on the model ``build_model`` made; each optimizer
    step records the model's mode and whether its gradient is its own."""
    train_model = ctx.require("train_model")
    x, y, xt, yt = _data(ctx)
    x_va, y_va = xt[-plan.ES_VAL:], plan.derange(yt[-plan.ES_VAL:])
    fresh: list[torch.Tensor] = []  # the gradients backward() made since the last step

    def hook_gradients(model: torch.nn.Module) -> None:
        params = [p for p in model.parameters() if p.requires_grad]
        fresh[:] = [torch.zeros_like(p) for p in params]
        for i, p in enumerate(params):
            p.register_hook(_adder(fresh, i))

    steps: list[dict[str, Any]] = []

    def at_step(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        """Per optimizer step: is the model in training mode, and is the gradient the
        optimizer sees the one the backward passes since the previous step made?"""
        if not made:
            return
        params = [p for p in made[-1].parameters() if p.requires_grad]
        if len(params) != len(fresh):
            return
        seen = torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).flatten()
                          for p in params])
        new = torch.cat([f.flatten() for f in fresh])
        steps.append({"training": bool(made[-1].training), "seen": seen.norm().item(),
                      "made": new.norm().item(), "gap": (seen - new).norm().item(),
                      "cos": F.cosine_similarity(seen, new, 0).item()})
        for f in fresh:
            f.zero_()

    per_epoch: list[torch.Tensor] = []
    made: list[torch.nn.Module] = []

    def on_epoch(epoch: int, row: dict[str, float]) -> None:
        if made:
            model = made[-1]
            mode = model.training
            model.eval()
            with torch.no_grad():
                per_epoch.append(model(x_va))
            model.train(mode)

    step_hook = register_optimizer_step_pre_hook(at_step)
    try:
        with _built_models(ctx, hook_gradients) as built, _augment_calls(ctx) as augmented:
            made = built
            result = train_model(x[: plan.ES_TRAIN], y[: plan.ES_TRAIN], x_va, y_va,
                                 _config(ctx, epochs=plan.ES_EPOCHS, patience=plan.ES_EPOCHS,
                                         seed=0, augment=False, batch_size=64),
                                 on_epoch=on_epoch)
    finally:
        step_hook.remove()
    model = getattr(result, "model", None)
    if model is None:
        raise Failed("train_model returned no .model")
    model.eval()
    with torch.no_grad():
        returned = model(x_va)
    history = getattr(result, "history", None)
    val_acc = history.get("val_acc") if isinstance(history, dict) else None
    try:
        val_acc = [float(v) for v in val_acc] if val_acc is not None else None
    except (TypeError, ValueError):
        val_acc = None
    return {"per_epoch": per_epoch, "returned": returned,
            "best_epoch": int(getattr(result, "best_epoch", 0) or 0),
            "steps": steps[:60], "history_val_acc": val_acc,
            "augmented_without_flag": len(augmented)}


def val_accuracy(ctx: ProbeContext) -> dict[str, Any]:
    train_model, predict_proba = ctx.require("train_model", "predict_proba")
    x, y, xt, yt = _data(ctx)
    result = train_model(x[: plan.SUBSET_TRAIN], y[: plan.SUBSET_TRAIN], xt, yt,
                         _config(ctx, epochs=plan.SUBSET_EPOCHS, seed=0))
    model = getattr(result, "model", None)
    if model is None:
        raise Failed("train_model returned no .model")
    return {"predictions": predict_proba(model, xt).argmax(1)}


def _snapshot(into: list[dict[str, torch.Tensor]], model: torch.nn.Module) -> None:
    into.append({k: v.detach().float().clone() for k, v in model.state_dict().items()})


def reproducible(ctx: ProbeContext) -> dict[str, Any]:
    train_model = ctx.require("train_model")
    x, y, xt, yt = _data(ctx)
    runs = []
    for scramble, seed in ((101, 7), (202, 7), (303, 8)):
        torch.manual_seed(scramble)  # a different global state before each run
        initial: list[dict[str, torch.Tensor]] = []
        with _built_models(ctx, functools.partial(_snapshot, initial)):
            result = train_model(x[:512], y[:512], xt[-256:], yt[-256:],
                                 _config(ctx, epochs=1, seed=seed))
        runs.append({"weights": {k: v.detach().float() for k, v in
                                 result.model.state_dict().items()},
                     "history": {str(k): [float(v) for v in vals] for k, vals in
                                 dict(getattr(result, "history", {}) or {}).items()},
                     "initial": initial[0] if initial else None})
    return {"runs": runs}
