"""Project 6's probes: run in the sandbox, they call the learner's ``encoder`` package on
inputs the parent chose (fixed vectors, token ids, score matrices, verse pairs) and
return what came back as arrays. Verdicts are in ``judges``."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import torch

from buildreal.projects.p6_search import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed


def _t(ctx: ProbeContext, key: str) -> torch.Tensor:
    return torch.from_numpy(np.array(ctx.inputs[key]))


def _np(value: object) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def _config(ctx: ProbeContext, **overrides: object) -> object:
    config_cls = ctx.require("TrainConfig")
    config = config_cls()
    unknown = [k for k in overrides if not hasattr(config, k)]
    if unknown:
        raise Failed(f"TrainConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **overrides) if dataclasses.is_dataclass(config) \
        else config_cls(**overrides)


def _small(ctx: ProbeContext, **overrides: object) -> object:
    return _config(ctx, buckets=plan.BUCKETS, dim=plan.DIM, out_dim=plan.DIM,
                   batch_size=plan.BATCH, lr=plan.LR, temperature=plan.TEMPERATURE,
                   **overrides)


def loss(ctx: ProbeContext) -> dict[str, Any]:
    """info_nce on fixed unit vectors, at two temperatures, one and both directions."""
    info_nce = ctx.require("info_nce")
    q, d = _t(ctx, "loss_q"), _t(ctx, "loss_d")
    out: dict[str, Any] = {}
    for t in plan.TEMPERATURES:
        for symmetric in (True, False):
            value = info_nce(q.clone(), d.clone(), t, symmetric=symmetric)
            out[f"{'sym' if symmetric else 'one'}_{t}"] = float(value)
    qg, dg = q.clone().requires_grad_(True), d.clone().requires_grad_(True)
    value = info_nce(qg, dg, plan.TEMPERATURES[0], symmetric=True)
    out["loss_has_grad"] = isinstance(value, torch.Tensor) and value.requires_grad
    return out


def pooling(ctx: ProbeContext) -> dict[str, Any]:
    """One untrained model on token ids with and without extra padding, and encode()."""
    build_model, tokenizer_cls, encode = ctx.require("build_model", "HashTokenizer", "encode")
    model = build_model(seed=0, buckets=plan.BUCKETS, dim=plan.DIM, out_dim=plan.DIM)
    model.eval()
    with torch.no_grad():
        emb = model(_t(ctx, "ids"))
        emb_padded = model(_t(ctx, "ids_padded"))
    texts = ctx.inputs["eval_q"][:8]
    return {"emb": _np(emb), "emb_padded": _np(emb_padded),
            "text_emb": _np(encode(model, tokenizer_cls(plan.BUCKETS), texts))}


def metrics(ctx: ProbeContext) -> dict[str, Any]:
    """The ranking metrics on the hand-checked cases."""
    recall_at_k, mrr = ctx.require("recall_at_k", "mean_reciprocal_rank")
    scores = np.array(ctx.inputs["hand_scores"])
    diagonal = np.arange(len(scores))
    out: dict[str, Any] = {"mrr": float(mrr(scores.copy(), diagonal.copy()))}
    for k in (1, 2, 3):
        out[f"recall@{k}"] = float(recall_at_k(scores.copy(), diagonal.copy(), k))
    wide, targets = np.array(ctx.inputs["wide_scores"]), np.array(ctx.inputs["wide_targets"])
    try:
        out["wide"] = [float(mrr(wide.copy(), targets.copy())),
                       float(recall_at_k(wide.copy(), targets.copy(), 1)), 0.0]
    except Exception as exc:  # a non-square matrix breaks code that assumed a square one
        out["wide"] = ctx.crash(exc)
    return out


def train(ctx: ProbeContext) -> dict[str, Any]:
    """Train on fixed pairs of the training books; encode held-out pairs before and after."""
    build_model, tokenizer_cls, train_encoder, encode = ctx.require(
        "build_model", "HashTokenizer", "train_encoder", "encode")
    config = _small(ctx, epochs=plan.EPOCHS, seed=0)
    initial = build_model(seed=0, buckets=plan.BUCKETS, dim=plan.DIM, out_dim=plan.DIM)
    tok = tokenizer_cls(plan.BUCKETS)
    eval_q, eval_d = ctx.inputs["eval_q"], ctx.inputs["eval_d"]
    out: dict[str, Any] = {"initial_q": _np(encode(initial, tok, eval_q)),
                           "initial_d": _np(encode(initial, tok, eval_d))}
    model, tokenizer, history = train_encoder(config, ctx.inputs["train_q"],
                                              ctx.inputs["train_d"])
    out["q"] = _np(encode(model, tokenizer, eval_q))
    out["d"] = _np(encode(model, tokenizer, eval_d))
    out["history_loss"] = [float(v) for v in dict(history).get("loss", [])]
    return out


def index(ctx: ProbeContext) -> dict[str, Any]:
    """Exact and approximate search over fixed unit vectors, and the learner's recall."""
    build_index, search, recall_vs_exact = ctx.require("build_index", "search",
                                                       "recall_vs_exact")
    base = np.array(ctx.inputs["index_base"], dtype=np.float32)
    queries = np.array(ctx.inputs["index_queries"], dtype=np.float32)
    _scores, exact_ids = search(build_index(base.copy(), "exact"), queries.copy(), plan.K)
    _scores, approx_ids = search(build_index(base.copy(), "hnsw"), queries.copy(), plan.K)
    exact_ids, approx_ids = np.asarray(exact_ids), np.asarray(approx_ids)
    hand = [np.array(v, dtype=np.int64) for v in plan.RECALL_HAND]  # approx, exact
    return {"exact_ids": exact_ids.astype(np.int64), "approx_ids": approx_ids.astype(np.int64),
            "reported_recall": float(recall_vs_exact(approx_ids.copy(), exact_ids.copy())),
            "hand_recall": float(recall_vs_exact(hand[0], hand[1]))}


def reproducible(ctx: ProbeContext) -> dict[str, Any]:
    """Two short runs with seed 3 and one with seed 4, each encoding the same texts."""
    train_encoder, encode = ctx.require("train_encoder", "encode")
    pairs_q = ctx.inputs["train_q"][: plan.REPRO_PAIRS]
    pairs_d = ctx.inputs["train_d"][: plan.REPRO_PAIRS]
    texts = ctx.inputs["eval_q"][:16]
    runs = []
    for global_seed, seed in ((11, 3), (12, 3), (13, 4)):
        torch.manual_seed(global_seed)  # a different global state before each run
        model, tokenizer, _history = train_encoder(_small(ctx, epochs=1, seed=seed),
                                                   pairs_q, pairs_d)
        runs.append(_np(encode(model, tokenizer, texts)))
    return {"runs": runs}
