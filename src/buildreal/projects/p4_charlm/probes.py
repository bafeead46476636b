"""Project 4's probes: run in the sandbox, they train, instrument and sample the
learner's ``charlm`` package on the Shakespeare ids the parent passed in, and return
logits, norms, flags and sampled ids. Verdicts are in ``judges``."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_pre_hook

from buildreal.projects.p4_charlm import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed

_GRAPH_ERRORS = ("backward through the graph a second time", "modified by an inplace operation")


def _ids(ctx: ProbeContext, key: str) -> torch.Tensor:
    return torch.from_numpy(np.array(ctx.inputs[key]))


def _config(ctx: ProbeContext, **fields: object) -> object:
    config_cls = ctx.require("TrainConfig")
    config = config_cls()
    unknown = [k for k in fields if not hasattr(config, k)]
    if unknown:
        raise Failed(f"TrainConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **fields)


def _model(ctx: ProbeContext, seed: int = 0) -> nn.Module:
    char_lm = ctx.require("CharLM")
    torch.manual_seed(seed)
    return char_lm(int(ctx.inputs["vocab_size"]), hidden_size=plan.HIDDEN)


def _train(ctx: ProbeContext, model: nn.Module, steps: int, seed: int = 0,
           **overrides: object) -> Any:
    """Run the learner's training; the classic crash of an undetached state is named."""
    train_tbptt = ctx.require("train_tbptt")
    fields = {**plan.SMALL, **overrides}
    try:
        return train_tbptt(model, _ids(ctx, "train"),
                           _config(ctx, steps=steps, seed=seed, **fields))
    except RuntimeError as exc:
        if any(text in str(exc) for text in _GRAPH_ERRORS):
            raise Failed("training crashed in backward() on the second window: the hidden "
                         "state carried in from the previous window still holds its graph. "
                         "Detach it between windows (state.detach(), or each tensor of an "
                         f"LSTM's (h, c)). PyTorch said: {str(exc)[:120]}") from exc
        raise


@torch.no_grad()
def _val_logits(model: nn.Module, val: torch.Tensor) -> torch.Tensor:
    """The checker's own evaluation pass: one stream, state carried; logits (N-1, V)."""
    model.eval()
    chunks, state = [], None
    for pos in range(0, len(val) - 1, plan.EVAL_SEQ):
        x = val[pos : pos + plan.EVAL_SEQ][None]  # (1, T)
        x = x[:, : len(val) - 1 - pos]
        logits, state = model(x, state)
        if logits.dim() != 3 or tuple(logits.shape[:2]) != tuple(x.shape):
            raise Failed(f"model(x) returned logits of shape {tuple(logits.shape)} for x of "
                         f"shape {tuple(x.shape)}; expected (batch, time, vocabulary)")
        chunks.append(logits[0])
    model.train()
    return torch.cat(chunks)


def _is_fresh(state: object) -> bool:
    tensors = _flat(state)
    return not tensors or all(float(t.detach().abs().max()) == 0.0 for t in tensors)


def _has_dropout(model: nn.Module) -> bool:
    return any((isinstance(m, nn.Dropout) and m.p > 0) or
               (isinstance(m, nn.RNNBase) and m.dropout > 0 and m.num_layers > 1)
               for m in model.modules())


def perplexity(ctx: ProbeContext) -> dict[str, Any]:
    """Validation logits before and after 150 steps, then samples of the trained model;
    while it samples at temperature 1, every forward call is recorded (the ids it read,
    whether its state was fresh, the model's mode)."""
    val = _ids(ctx, "val")
    model = _model(ctx)
    before = _val_logits(model, val)
    history = _train(ctx, model, plan.PERPLEXITY_STEPS)
    after = _val_logits(model, val)
    sample = ctx.require("sample")
    prime = [int(i) for i in ctx.inputs["prime"]]
    calls: list[dict[str, Any]] = []
    original = model.forward

    def recording_forward(x: torch.Tensor, state: object = None, *args: object,
                          **kwargs: object) -> object:
        if len(calls) < 2 * plan.SAMPLE_LENGTH:
            calls.append({"ids": [int(i) for i in x[0].tolist()] if x.dim() == 2 else [],
                          "rows": int(x.shape[0]) if x.dim() == 2 else 0,
                          "fresh": _is_fresh(state), "training": bool(model.training)})
        return original(x, state, *args, **kwargs)

    samples = {}
    for t in plan.SAMPLE_TEMPERATURES:
        if t == 1.0:
            model.forward = recording_forward  # type: ignore[method-assign]
        try:
            samples[str(t)] = [int(i) for i in sample(
                model, prime, plan.SAMPLE_LENGTH, temperature=t, top_k=None,
                generator=torch.Generator().manual_seed(5))]
        finally:
            model.__dict__.pop("forward", None)
    losses = history.get("loss", []) if isinstance(history, dict) else []
    return {"before": before.half(), "after": after.half(), "samples": samples,
            "sample_calls": calls, "dropout": _has_dropout(model),
            "first_losses": [float(v) for v in list(losses)[:5]]}


def zeroing(ctx: ProbeContext) -> dict[str, Any]:
    """Per optimizer step: the gradient the optimizer sees, and the sum of the gradients
    the backward passes since the previous step produced (parameter hooks)."""
    model = _model(ctx)
    params = [p for p in model.parameters() if p.requires_grad]
    fresh = [torch.zeros_like(p) for p in params]

    def keep(i: int) -> Any:
        def hook(grad: torch.Tensor) -> None:
            fresh[i] += grad.detach()
        return hook

    handles = [p.register_hook(keep(i)) for i, p in enumerate(params)]
    steps: list[dict[str, float]] = []

    def at_step(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        seen = torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).flatten()
                          for p in params])
        made = torch.cat([f.flatten() for f in fresh])
        steps.append({"seen": seen.norm().item(), "made": made.norm().item(),
                      "gap": (seen - made).norm().item(),
                      "cos": torch.nn.functional.cosine_similarity(seen, made, 0).item()})
        for f in fresh:
            f.zero_()

    step_hook = register_optimizer_step_pre_hook(at_step)
    try:
        _train(ctx, model, 5, clip=1e6)
    finally:
        step_hook.remove()
        for h in handles:
            h.remove()
    return {"steps": steps}


def clipping(ctx: ProbeContext) -> dict[str, Any]:
    model = _model(ctx)
    seen: list[float] = []

    def at_step(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        grads = [p.grad for g in optimizer.param_groups for p in g["params"]
                 if p.grad is not None]
        if grads:
            seen.append(torch.linalg.vector_norm(
                torch.stack([torch.linalg.vector_norm(g) for g in grads])).item())

    handle = register_optimizer_step_pre_hook(at_step)
    try:
        history = _train(ctx, model, 12, clip=plan.CLIP)
    finally:
        handle.remove()
    norms = list(history.get("grad_norm", [])) if isinstance(history, dict) else []
    return {"seen": seen, "history_norms": [float(n) for n in norms]}


def _flat(state: object) -> list[torch.Tensor]:
    if isinstance(state, torch.Tensor):
        return [state]
    if isinstance(state, (tuple, list)):
        return [t for s in state for t in _flat(s)]
    return []


def state(ctx: ProbeContext) -> dict[str, Any]:
    model = _model(ctx)
    calls: list[tuple[list[torch.Tensor], list[torch.Tensor]]] = []
    original = model.forward

    def recording_forward(x: torch.Tensor, state: object = None, *args: object,
                          **kwargs: object) -> object:
        logits, new_state = original(x, state, *args, **kwargs)
        if torch.is_grad_enabled():
            calls.append((_flat(state), _flat(new_state)))
        return logits, new_state

    model.forward = recording_forward  # type: ignore[method-assign]
    crash = ""
    try:
        _train(ctx, model, 4)
    except Failed as exc:  # judge the states recorded before the crash first
        crash = str(exc)
    windows = []
    for i in range(1, len(calls)):
        given, previous = calls[i][0], calls[i - 1][1]
        tracked = [t for t in given if t.grad_fn is not None or t.requires_grad]
        windows.append({
            "fresh": not given or all(float(t.detach().abs().max()) == 0.0 for t in given),
            "same": len(given) == len(previous) and all(
                g.shape == p.shape and torch.allclose(g.detach(), p.detach())
                for g, p in zip(given, previous, strict=True)),
            "tracked": str(tracked[0].grad_fn) if tracked else ""})
    return {"calls": len(calls), "windows": windows, "crash": crash}


class FixedLM(nn.Module):
    """Ignores its input: the next-character logits are always ``plan.FIXED_LOGITS``."""

    def __init__(self) -> None:
        super().__init__()
        self.logits = torch.tensor(plan.FIXED_LOGITS)
        self.anchor = nn.Parameter(torch.zeros(()))  # so .parameters() is not empty

    def init_state(self, batch_size: int) -> torch.Tensor:
        return torch.zeros(1, batch_size, 1)

    def forward(self, x: torch.Tensor, state: object = None) -> tuple[torch.Tensor, object]:
        logits = self.logits.expand(x.shape[0], x.shape[1], -1) + self.anchor  # (B, T, 5)
        return logits, state if state is not None else self.init_state(x.shape[0])


def sampling(ctx: ProbeContext) -> dict[str, Any]:
    sample = ctx.require("sample")
    model, n = FixedLM(), plan.SAMPLES
    draws = {}
    for key, temperature, top_k, seed in (("t0.5", 0.5, None, 1), ("t2", 2.0, None, 1),
                                          ("k2", 1.0, 2, 2), ("k3", 1.0, 3, 3)):
        draws[key] = [int(i) for i in sample(model, [0], n, temperature=temperature,
                                             top_k=top_k,
                                             generator=torch.Generator().manual_seed(seed))]
    return draws


def reproducible(ctx: ProbeContext) -> dict[str, Any]:
    sample = ctx.require("sample")
    base = _model(ctx, seed=5)
    runs, models = [], []
    for scramble, seed in ((11, 3), (12, 3), (13, 4)):
        model = copy.deepcopy(base)
        torch.manual_seed(scramble)  # a different global state before each run
        history = _train(ctx, model, 6, seed=seed)
        models.append(model)
        runs.append({"weights": {k: v.detach().float() for k, v in model.state_dict().items()},
                     "loss": [float(v) for v in (history or {}).get("loss", [])]})
    prime = [int(i) for i in ctx.inputs["prime"]]
    texts = [[int(i) for i in sample(models[0], prime, 40, temperature=1.0, top_k=None,
                                     generator=torch.Generator().manual_seed(9))]
             for _ in range(2)]
    return {"runs": runs, "texts": texts}
