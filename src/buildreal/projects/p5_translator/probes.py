"""Project 5's probes: run in the sandbox, they call the learner's ``translator`` package
on inputs the parent chose (fixed tensors, fixed token ids, fixed sentences) and return
what came back. Verdicts are in ``judges``."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import torch

from buildreal.projects.p5_translator import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed


def _t(ctx: ProbeContext, key: str) -> torch.Tensor:
    return torch.from_numpy(np.array(ctx.inputs[key]))


def _out(value: object) -> object:
    return value.detach() if isinstance(value, torch.Tensor) else value


def _replace(config: object, **fields: object) -> object:
    unknown = [k for k in fields if not hasattr(config, k)]
    if unknown:
        raise Failed(f"{type(config).__name__} has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **fields)  # type: ignore[type-var]


def _model(ctx: ProbeContext, positional: bool = True, layers: int = plan.LAYERS) -> Any:
    model_config, build_model = ctx.require("ModelConfig", "build_model")
    config = model_config(vocab_size=plan.VOCAB, d_model=plan.D_MODEL, heads=plan.HEADS,
                          layers=layers, d_ff=plan.D_FF, dropout=0.0,
                          max_len=plan.MAX_LEN, positional=positional)
    return build_model(config, seed=0).eval()


def _train_config(ctx: ProbeContext, **fields: object) -> object:
    base = ctx.require("TrainConfig")()
    return _replace(base, vocab_size=plan.VOCAB, d_model=plan.D_MODEL, heads=plan.HEADS,
                    layers=plan.LAYERS, d_ff=plan.D_FF, dropout=0.0, max_len=plan.MAX_LEN,
                    **fields)


def _pad(rows: list[list[int]], pad: int) -> torch.Tensor:
    width = max(len(r) for r in rows)
    return torch.tensor([r + [pad] * (width - len(r)) for r in rows], dtype=torch.long)


def _ids(array: np.ndarray) -> list[list[int]]:
    """A (N, L) int array padded with -1 -> lists of ids."""
    return [[int(x) for x in row if x >= 0] for row in array]


def attention(ctx: ProbeContext) -> dict[str, Any]:
    """The attention function and the masks on fixed tensors, the loss on fixed logits,
    the learning-rate schedule at fixed steps."""
    sdpa, padding_mask, causal_mask, pad = ctx.require(
        "scaled_dot_product_attention", "padding_mask", "causal_mask", "PAD")
    q, k, v = _t(ctx, "q"), _t(ctx, "k"), _t(ctx, "v")
    key_ids = _t(ctx, "key_ids")  # (B, Tk) with padding at the end of row 0
    out: dict[str, Any] = {"pad_id": int(pad)}
    pm = padding_mask(key_ids.clone(), int(pad))
    out["padding_mask"] = _out(pm).to(torch.bool) if isinstance(pm, torch.Tensor) else None
    cm = causal_mask(q.size(2))
    out["causal_mask"] = _out(cm).to(torch.bool) if isinstance(cm, torch.Tensor) else None
    # The attention itself, with the reference's own masks (so a wrong mask function
    # cannot hide a right attention, nor the other way round).
    keep = (key_ids != int(pad))[:, None, None, :]  # (B, 1, 1, Tk)
    o, w = sdpa(q.clone(), k.clone(), v.clone(), keep)
    out["pad_out"], out["pad_weights"] = _out(o), _out(w)
    o, w = sdpa(q.clone(), k.clone(), v.clone(), None)
    out["plain_out"], out["plain_weights"] = _out(o), _out(w)
    qs = q[:, :, : q.size(2)]
    tri = torch.ones(q.size(2), q.size(2), dtype=torch.bool).tril()[None, None]
    o, w = sdpa(qs.clone(), k[:, :, : q.size(2)].clone(), v[:, :, : q.size(2)].clone(), tri)
    out["causal_out"], out["causal_weights"] = _out(o), _out(w)
    loss_fn, lr_at = ctx.require("label_smoothed_loss", "lr_at")
    logits, target = _t(ctx, "logits"), _t(ctx, "target")
    out["loss_smooth"] = float(loss_fn(logits.clone(), target.clone(), int(pad), 0.1))
    out["loss_plain"] = float(loss_fn(logits.clone(), target.clone(), int(pad), 0.0))
    out["lr"] = [float(lr_at(step, 100, 1e-3)) for step in plan.LR_STEPS]
    return out


def model(ctx: ProbeContext) -> dict[str, Any]:
    """The model on fixed token ids: a later target token changed, padding added, the
    source or the target prefix reordered, with and without positional encoding."""
    pad = int(ctx.require("PAD"))
    src, tgt = _t(ctx, "src_ids"), _t(ctx, "tgt_ids")  # (B, S), (B, T), no padding
    m = _model(ctx)
    out: dict[str, Any] = {}
    with torch.no_grad():
        out["logits"] = m(src, tgt)
        changed = tgt.clone()
        changed[:, plan.CHANGED_AT] = (changed[:, plan.CHANGED_AT] - 4 + 7) % (plan.VOCAB - 4) + 4
        out["logits_changed"] = m(src, changed)
        extra_s = torch.full((src.size(0), plan.PAD_EXTRA), pad, dtype=torch.long)
        extra_t = torch.full((tgt.size(0), plan.PAD_EXTRA), pad, dtype=torch.long)
        padded = m(torch.cat([src, extra_s], 1), torch.cat([tgt, extra_t], 1))
        out["logits_padded"] = padded
        cross = m.cross_attention() if hasattr(m, "cross_attention") else None
        out["cross_attention"] = [_out(w) for w in cross] if cross else None
        # A ragged batch: row 1's source is 2 tokens shorter and padded.
        ragged = src.clone()
        ragged[1, -2:] = pad
        out["logits_ragged"] = m(ragged, tgt)
        out["cross_ragged"] = [_out(w) for w in m.cross_attention()] if cross else None
        out["logits_short"] = m(src[1:, :-2], tgt[1:])
        # One layer for the order experiment: with two, the causal mask itself leaks
        # position (an earlier token's state has seen fewer tokens), positions or not.
        perm = torch.tensor(ctx.inputs["perm"], dtype=torch.long)
        swapped = tgt.clone()
        swapped[:, [0, 1]] = swapped[:, [1, 0]]
        one = _model(ctx, layers=1)
        out["pe_logits"] = one(src, tgt)
        out["pe_src"] = one(src[:, perm], tgt)
        out["pe_tgt_swapped"] = one(src, swapped)
        blind = _model(ctx, positional=False, layers=1)
        out["nope_logits"] = blind(src, tgt)
        out["nope_src"] = blind(src[:, perm], tgt)
        out["nope_tgt_swapped"] = blind(src, swapped)
    return out


def overfit(ctx: ProbeContext) -> dict[str, Any]:
    """Train on a dozen pairs until they are memorised, then decode them."""
    train, greedy, beam, pad = ctx.require("train_translator", "greedy_decode",
                                           "beam_search", "PAD")
    src, tgt = _ids(ctx.inputs["overfit_src"]), _ids(ctx.inputs["overfit_tgt"])
    config = _train_config(ctx, batch_size=plan.OVERFIT_N, epochs=plan.OVERFIT_EPOCHS,
                           lr=5e-3, warmup_steps=10, label_smoothing=0.0, seed=0)
    trained, history = train(config, src, tgt)
    x = _pad(src, int(pad))
    out: dict[str, Any] = {"loss": [float(v) for v in dict(history).get("loss", [])],
                           "greedy": [list(map(int, r)) for r in greedy(trained, x, 20)]}
    # Each sentence alone too: a batch must translate each row as it would alone.
    out["greedy_alone"] = [[int(t) for t in greedy(trained, _pad([row], int(pad)), 20)[0]]
                           for row in src]
    out["beam1"] = [list(map(int, r)) for r in beam(trained, x, 1, 20)]
    out["beam3"] = [list(map(int, r)) for r in beam(trained, x, 3, 20)]
    return out


def _toy_losses(ctx: ProbeContext, runs: tuple[tuple[int, int, int], ...]
                ) -> list[list[float]]:
    """Train on the reverse task once per (global seed, config seed, epochs); each run's
    loss history."""
    train = ctx.require("train_translator")
    src, tgt = _ids(ctx.inputs["toy_src"]), _ids(ctx.inputs["toy_tgt"])
    out = []
    for global_seed, seed, epochs in runs:
        torch.manual_seed(global_seed)  # a different global state before each run
        config = _train_config(ctx, batch_size=32, epochs=epochs, lr=5e-3, warmup_steps=30,
                               label_smoothing=0.1, seed=seed)
        _trained, history = train(config, src, tgt)
        out.append([float(v) for v in dict(history).get("loss", [])])
    return out


def _first_weights(build_model: Any, into: list[torch.Tensor]) -> Any:
    """build_model, recording the first 32 values of each parameter of the first model."""
    def capturing(*args: Any, **kwargs: Any) -> Any:
        model = build_model(*args, **kwargs)
        if not into:
            into.append(torch.cat([p.detach().flatten()[:32]
                                   for p in model.parameters()]).clone())
        return model
    return capturing


def _initial_weights(ctx: ProbeContext, seeds: tuple[int, ...]) -> list[Any]:
    """Per seed, the first weights of the first model train_translator builds through the
    learner's build_model (None where it builds none that way), for one step of training."""
    build_model = ctx.require("build_model")
    modules = [ctx.package]
    for name in ("train", "model"):
        try:
            modules.append(ctx.module(name))
        except Exception:  # a package laid out otherwise: patch what there is
            continue
    originals = [(m, getattr(m, "build_model", None)) for m in modules]
    train = ctx.require("train_translator")
    src, tgt = _ids(ctx.inputs["toy_src"])[:8], _ids(ctx.inputs["toy_tgt"])[:8]
    out: list[Any] = []
    for seed in seeds:
        first: list[torch.Tensor] = []
        capturing = _first_weights(build_model, first)
        for module, original in originals:
            if original is not None:
                module.build_model = capturing
        try:
            train(_train_config(ctx, batch_size=8, epochs=1, seed=seed), src, tgt)
        finally:
            for module, original in originals:
                if original is not None:
                    module.build_model = original
        out.append(first[0] if first else None)
    return out


def seeds(ctx: ProbeContext) -> dict[str, Any]:
    """The reverse task trained with seed 0 and with seed 1."""
    return {"runs": _toy_losses(ctx, ((11, 0, plan.TOY_EPOCHS), (12, 1, plan.TOY_EPOCHS)))}


def repro(ctx: ProbeContext) -> dict[str, Any]:
    """One epoch of the reverse task with seed 0, seed 0 again and seed 1."""
    return {"runs": _toy_losses(ctx, ((11, 0, 1), (12, 0, 1), (13, 1, 1))),
            "initial": _initial_weights(ctx, (0, 1))}


def tokenizer(ctx: ProbeContext) -> dict[str, Any]:
    """A tokenizer trained on the given training sentences, then used on others."""
    train_tokenizer, encode, decode = ctx.require("train_tokenizer", "encode", "decode")
    pad, unk, bos, eos = ctx.require("PAD", "UNK", "BOS", "EOS")
    tok = train_tokenizer(list(ctx.inputs["tok_train"]), plan.TOKENIZER_VOCAB)
    held_out = list(ctx.inputs["tok_test"])
    ids = encode(tok, held_out)
    return {"vocab": int(tok.get_vocab_size()), "ids": [list(map(int, r)) for r in ids],
            "decoded": list(decode(tok, ids)),
            "specials": {name: tok.token_to_id(token) for name, token in
                         (("pad", "<pad>"), ("unk", "<unk>"), ("bos", "<s>"), ("eos", "</s>"))},
            "constants": {"pad": int(pad), "unk": int(unk), "bos": int(bos), "eos": int(eos)}}
