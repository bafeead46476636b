"""Project 5's judges: in the toolkit's process, they decide from what the learner's
``translator`` package returned (see ``probes``). The references are recomputed here:
attention from its formula, the masks, the label-smoothed loss with PyTorch's own
cross-entropy, the schedule's shape, exact matches on memorised and held-out pairs."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from buildreal.projects.checking import Evidence
from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.p5_translator import plan
from buildreal.projects.sandbox import Failed

ATOL = 1e-4


def _rows(rng: np.random.Generator, n: int, low: int, high: int, vocab: tuple[int, int]
          ) -> np.ndarray:
    """n random id sequences of lengths low..high, padded with -1 into one array."""
    out = np.full((n, high), -1, dtype=np.int64)
    for i in range(n):
        length = int(rng.integers(low, high + 1))
        out[i, :length] = rng.integers(vocab[0], vocab[1], length)
    return out


def _reverse(rows: np.ndarray) -> np.ndarray:
    out = np.full_like(rows, -1)
    for i, row in enumerate(rows):
        ids = row[row >= 0][::-1]
        out[i, : len(ids)] = ids
    return out


def make_inputs() -> dict[str, Any]:
    """Fixed tensors and ids; the tokenizer sentences come from the training books."""
    from buildreal.projects.p5_translator.corpus import load_pairs

    try:
        train = load_pairs("en-es", with_dictionary=False)["train"]
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    rng = np.random.default_rng(5)
    b, h, tq, tk, dk = 2, 2, 5, 6, 8
    key_ids = rng.integers(4, plan.VOCAB, (b, tk))
    key_ids[0, -2:] = 0  # row 0: two padding keys at the end (PAD is 0 by contract)
    overfit_src = _rows(rng, plan.OVERFIT_N, 3, 8, (4, plan.VOCAB))
    toy_src = _rows(rng, plan.TOY_TRAIN, 3, 6, (4, 4 + plan.TOY_SYMBOLS))
    step = len(train) // plan.TOKENIZER_TEXTS
    texts = [t for pair in zip(train.src[::step], train.tgt[::step], strict=True)
             for t in pair][: 2 * plan.TOKENIZER_TEXTS]
    return {
        "q": rng.standard_normal((b, h, tq, dk)).astype(np.float32) * 2.0,
        "k": rng.standard_normal((b, h, tk, dk)).astype(np.float32) * 2.0,
        "v": rng.standard_normal((b, h, tk, dk)).astype(np.float32),
        "key_ids": key_ids,
        "logits": rng.standard_normal((2, 5, plan.VOCAB)).astype(np.float32) * 3.0,
        "target": np.array([[5, 9, 3, 0, 0], [7, 8, 11, 12, 3]], dtype=np.int64),
        "src_ids": rng.integers(4, plan.VOCAB, (plan.B, plan.S)),
        "tgt_ids": np.concatenate([np.full((plan.B, 1), 2), rng.integers(
            4, plan.VOCAB, (plan.B, plan.T - 1))], axis=1),
        "perm": [int(i) for i in rng.permutation(plan.S)],
        "overfit_src": overfit_src,
        "overfit_tgt": _rows(rng, plan.OVERFIT_N, 3, 8, (4, plan.VOCAB)),
        "toy_src": toy_src,
        "toy_tgt": _reverse(toy_src),
        "tok_train": texts,
        "tok_test": ["In the beginning was the Word.", "Y dijo Dios: Sea la luz.",
                     "The king’s servants answered, “We will go.”"],
    }


def _t(ev: Evidence, key: str) -> torch.Tensor:
    return torch.from_numpy(np.asarray(ev.inputs[key], dtype=np.float64))


def _ref_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                   keep: torch.Tensor | None, scale: bool = True) -> tuple[torch.Tensor,
                                                                     torch.Tensor]:
    scores = q @ k.transpose(-2, -1)
    if scale:
        scores = scores / math.sqrt(q.size(-1))
    if keep is not None:
        scores = scores.masked_fill(~keep, float("-inf"))
    w = torch.softmax(scores, -1)
    return w @ v, w


def _keep(ev: Evidence) -> torch.Tensor:
    return torch.from_numpy(np.asarray(ev.inputs["key_ids"]) != 0)[:, None, None, :]


def attention_rows(ev: Evidence) -> str:
    q = _t(ev, "q")
    shape = (q.size(0), q.size(1), q.size(2), ev.inputs["k"].shape[2])
    w = ev.array("plain_weights", shape=shape)
    if not np.isfinite(w).all():
        raise Failed("your attention weights contain NaN or infinity without any mask")
    if (w < -1e-6).any():
        raise Failed("some attention weights are negative: weights must come from a softmax")
    rows, cols = w.sum(-1), w.sum(-2)
    if not np.allclose(rows, 1.0, atol=ATOL):
        if np.allclose(cols, 1.0, atol=ATOL):
            raise Failed("your softmax runs over the queries (each column sums to 1): it must "
                         "run over the keys, the last dimension, so each query's row of "
                         "weights is a probability distribution")
        raise Failed(f"rows of attention weights sum to {rows.min():.3f} to {rows.max():.3f}, "
                     "not 1: take the softmax over the keys (dim=-1)")
    wp = ev.array("pad_weights", shape=shape)
    keep = _keep(ev).numpy()
    hidden = np.broadcast_to(~keep, shape)
    prows = wp.sum(-1)
    if not np.isfinite(wp).all():
        raise Failed("with a padding mask your attention weights contain NaN: fill masked "
                     "scores with -inf (or a large negative number) before the softmax")
    if np.abs(wp[hidden]).max() < 1e-6 and not np.allclose(prows, 1.0, atol=ATOL):
        raise Failed(f"with padding masked, rows sum to {prows.min():.3f}: you zero the "
                     "masked weights after the softmax, so what is left no longer sums to 1. "
                     "Mask the scores before the softmax")
    if not np.allclose(prows, 1.0, atol=ATOL):
        raise Failed(f"with a padding mask, rows of weights sum to {prows.min():.3f} to "
                     f"{prows.max():.3f}, not 1")
    if np.abs(wp[hidden]).max() > 1e-6:
        raise Failed(f"padding keys still get weight {np.abs(wp[hidden]).max():.3f}: entries "
                     "where the mask is False must be excluded (the mask says where a query "
                     "may look: True = attend)")
    return f"every row of weights sums to 1 (largest error {np.abs(rows - 1).max():.1e})"


def attention_formula(ev: Evidence) -> str:
    q, k, v = _t(ev, "q"), _t(ev, "k"), _t(ev, "v")
    shape = (q.size(0), q.size(1), q.size(2), v.size(-1))
    for key, keep in (("plain", None), ("pad", _keep(ev))):
        got = ev.array(f"{key}_out", shape=shape)
        want, _ = _ref_attention(q, k, v, keep)
        if np.allclose(got, want.numpy(), atol=1e-3):
            continue
        unscaled, _ = _ref_attention(q, k, v, keep, scale=False)
        if np.allclose(got, unscaled.numpy(), atol=1e-3):
            raise Failed("your scores are not scaled by sqrt(d_k): with d_k = 8 they are "
                         "2.8 times too large, the softmax saturates and gradients vanish. "
                         "Divide q @ k^T by sqrt(d_k)")
        for factor, name in ((q.size(-1), "d_k"), (math.sqrt(q.size(1) * q.size(-1)),
                                                     "sqrt(d_model)")):
            scaled, _ = _ref_attention(q * math.sqrt(q.size(-1)) / factor, k, v, keep)
            if np.allclose(got, scaled.numpy(), atol=1e-3):
                raise Failed(f"your scores are divided by {name}, not by sqrt(d_k), the "
                             "size of one head")
        raise Failed(f"{'masked ' if keep is not None else ''}attention output differs from "
                     f"softmax(q k^T / sqrt(d_k)) v by up to "
                     f"{np.abs(got - want.numpy()).max():.3f} on fixed tensors")
    return "outputs equal softmax(q k^T / sqrt(d_k)) v, with and without a padding mask"


def masks(ev: Evidence) -> str:
    key_ids = np.asarray(ev.inputs["key_ids"])
    b, tk, tq = key_ids.shape[0], key_ids.shape[1], ev.inputs["q"].shape[2]
    if ev.integer("pad_id") != 0:
        raise Failed(f"PAD is {ev.integer('pad_id')}; the tokenizer's first special token, "
                     "<pad>, has id 0 and the checks pad with 0")
    pm = ev.array("padding_mask", dtype=np.bool_)
    want_pm = key_ids != 0
    try:
        got = np.broadcast_to(pm, (b, 1, tk, tk))
    except ValueError as exc:
        raise Failed(f"padding_mask returned shape {pm.shape}, which does not broadcast to "
                     f"the scores (B, H, Tq, Tk) = ({b}, H, Tq, {tk}); return (B, 1, 1, S)"
                     ) from exc
    if (got == want_pm[:, None, :, None]).all() and not (got == want_pm[:, None, None, :]).all():
        raise Failed("your padding mask is on the wrong axis: it hides padded *queries* (rows) "
                     "where it must hide padded *keys* (columns); shape it (B, 1, 1, S)")
    if (got == ~want_pm[:, None, None, :]).all():
        raise Failed("your padding mask is inverted: it is True on padding, but masks say "
                     "where a query may look (True = attend)")
    if not (got == want_pm[:, None, None, :]).all():
        raise Failed("padding_mask(ids, PAD) is not True exactly at the non-padding keys of "
                     "each row (shape (B, 1, 1, S))")
    cm = ev.array("causal_mask", dtype=np.bool_)
    want = np.tril(np.ones((tq, tq), dtype=bool))
    try:
        cm2 = np.broadcast_to(cm, cm.shape[:-2] + (tq, tq)).reshape(-1, tq, tq)[0]
    except ValueError as exc:
        raise Failed(f"causal_mask({tq}) returned shape {cm.shape}; expected (1, 1, T, T)"
                     ) from exc
    if not (cm2 == want).all():
        for offset in (-1, 1):
            if (cm2 == np.tril(np.ones((tq, tq), dtype=bool), offset)).all():
                raise Failed(
                    "your causal mask is off by one: " + (
                        "it hides the diagonal, so position t cannot see its own token (and "
                        "the first row sees nothing)" if offset < 0 else
                        "it lets position t see token t+1, the very token it must predict"))
        if (cm2 == ~want).all() or (cm2 == np.triu(np.ones((tq, tq), dtype=bool), 1)).all():
            raise Failed("your causal mask is inverted: True must mark the positions a query "
                         "may see, on and below the diagonal")
        raise Failed(f"causal_mask({tq}) is not lower-triangular (True on and below the "
                     "diagonal)")
    return "padding masks the padded keys of each row; the causal mask is lower-triangular"


def causal_holds(ev: Evidence) -> str:
    shape = (plan.B, plan.T, plan.VOCAB)
    a, b = ev.array("logits", shape=shape), ev.array("logits_changed", shape=shape)
    j = plan.CHANGED_AT
    if not np.isfinite(a).all():
        raise Failed("the model's logits contain NaN or infinity on unpadded input")
    before = np.abs(a[:, :j] - b[:, :j]).max(axis=(0, 2))
    if (before > 1e-4).any():
        first = int(np.argmax(before > 1e-4))
        raise Failed(f"changing target token {j} changed the output at position {first} "
                     f"(by {before[first]:.3f}): a position sees tokens after it. "
                     "The decoder's self-attention needs the causal mask (and the right one); "
                     "if it has it, check that splitting and merging the heads keeps each "
                     "position's features together: view (B, T, D) as (B, T, H, d_k), then "
                     "transpose to (B, H, T, d_k), and back the same way")
    if np.abs(a[:, j:] - b[:, j:]).max() < 1e-6:
        raise Failed(f"changing target token {j} changed nothing, even at position {j}: does "
                     "the decoder read its input tokens at all?")
    return f"changing token {j} leaves positions 0-{j - 1} unchanged"


def padding_ignored(ev: Evidence) -> str:
    shape = (plan.B, plan.T, plan.VOCAB)
    a = ev.array("logits", shape=shape)
    p = ev.array("logits_padded", shape=(plan.B, plan.T + plan.PAD_EXTRA, plan.VOCAB))
    if not np.isfinite(p[:, : plan.T]).all():
        raise Failed("with padding added, the model's outputs are NaN: a row of attention "
                     "scores is entirely masked somewhere (a padding mask on the wrong axis?)")
    diff = np.abs(a - p[:, : plan.T]).max()
    if diff > 1e-4:
        raise Failed(f"adding {plan.PAD_EXTRA} padding tokens to the source and target changes "
                     f"the outputs by up to {diff:.3f}: attention still reads padding. Mask "
                     "padding keys in the encoder, the decoder and the cross-attention")
    r = ev.array("logits_ragged", shape=shape)
    s = ev.array("logits_short", shape=(1, plan.T, plan.VOCAB))
    diff = np.abs(r[1:] - s).max()
    if diff > 1e-4:
        raise Failed(f"a sentence padded inside a batch translates differently from the same "
                     f"sentence alone (outputs differ by up to {diff:.3f}): the padding mask "
                     "is not applied per row")
    return f"extra padding changes no output (largest difference {diff:.1e})"


def order(ev: Evidence) -> str:
    shape = (plan.B, plan.T, plan.VOCAB)
    base, nope = ev.array("pe_logits", shape=shape), ev.array("nope_logits", shape=shape)
    src_d = np.abs(ev.array("nope_src", shape=shape) - nope).max()
    if src_d > 1e-4:
        raise Failed(f"without positional encoding (positional=False) shuffling the source "
                     f"still changes the output (by {src_d:.3f}): something else carries "
                     "position, or the flag does not turn the encoding off")
    tgt_d = np.abs(ev.array("nope_tgt_swapped", shape=shape)[:, 2:] - nope[:, 2:]).max()
    if tgt_d > 1e-4:
        raise Failed(f"without positional encoding, swapping target tokens 0 and 1 changes "
                     f"the outputs after them (by {tgt_d:.3f}); positional=False must remove "
                     "the encoding from the decoder too")
    with_src = np.abs(ev.array("pe_src", shape=shape) - base).max()
    if with_src < 1e-3:
        raise Failed("with positional encoding, shuffling the source words changes nothing: "
                     "the encoder cannot tell word order. Add the encoding to the source "
                     "embeddings")
    with_tgt = np.abs(ev.array("pe_tgt_swapped", shape=shape)[:, 2:] - base[:, 2:]).max()
    if with_tgt < 1e-3:
        raise Failed("with positional encoding, swapping two earlier target tokens leaves "
                     "later outputs unchanged: the decoder gets no positions. Add the "
                     "encoding to the target embeddings as well as the source's")
    return (f"without positions, reordering changes nothing (< {max(src_d, tgt_d):.0e}); "
            f"with them, the outputs move by {with_src:.2f} (source) and {with_tgt:.2f} "
            "(target)")


def loss(ev: Evidence) -> str:
    logits = _t(ev, "logits")
    target = torch.from_numpy(np.array(ev.inputs["target"]))
    flat, tgt = logits.reshape(-1, plan.VOCAB), target.reshape(-1)
    want = float(F.cross_entropy(flat, tgt, ignore_index=0, label_smoothing=0.1))
    plain = float(F.cross_entropy(flat, tgt, ignore_index=0))
    got, got_plain = ev.number("loss_smooth"), ev.number("loss_plain")
    if not math.isclose(got_plain, plain, rel_tol=1e-4):
        with_pad = float(F.cross_entropy(flat, tgt))
        if math.isclose(got_plain, with_pad, rel_tol=1e-4):
            raise Failed(f"your loss counts padding positions ({got_plain:.3f} where the "
                         f"mean over real tokens is {plain:.3f}): ignore targets equal to PAD")
        raise Failed(f"with smoothing 0 the loss is {got_plain:.3f}; the cross-entropy over "
                     f"non-padding tokens is {plain:.3f}")
    if not math.isclose(got, want, rel_tol=1e-4):
        if math.isclose(got, plain, rel_tol=1e-4):
            raise Failed("label smoothing has no effect: smoothing=0.1 gives the plain "
                         "cross-entropy")
        logp = F.log_softmax(flat, -1)[tgt != 0]
        summed = float((0.9 * -logp.gather(1, tgt[tgt != 0][:, None]).squeeze(1)
                        + 0.1 * -logp.sum(-1)).mean())
        if math.isclose(got, summed, rel_tol=1e-4):
            raise Failed(f"with smoothing 0.1 your loss is {got:.4f}, expected {want:.4f}: the "
                         "smoothing term sums -log p over the vocabulary; it must average it "
                         "(eps spread evenly, eps / V per token)")
        raise Failed(f"with smoothing 0.1 your loss is {got:.4f}, expected {want:.4f}: mix "
                     "(1 - eps) of the true token's negative log-probability with eps of the "
                     "mean negative log-probability over the whole vocabulary")
    return f"label-smoothed loss {got:.4f} = PyTorch's cross_entropy(label_smoothing=0.1)"


def schedule(ev: Evidence) -> str:
    lr = np.asarray(ev.items("lr"), dtype=np.float64)
    steps = np.asarray(plan.LR_STEPS)
    if len(lr) != len(steps) or not np.isfinite(lr).all() or (lr < 0).any():
        raise Failed("lr_at(step, 100, 1e-3) must return one non-negative number per step")
    peak_at = int(steps[int(np.argmax(lr))])
    if lr[0] > 0.2e-3:
        raise Failed(f"lr_at(0, warmup_steps=100, peak=1e-3) is {lr[0]:.1e}: there is no "
                     "warm-up. Start small and rise linearly to the peak; Adam's early "
                     "updates are noisy and a Transformer can diverge from them")
    if not 80 <= peak_at <= 120 or lr.max() > 1.05e-3 or lr.max() < 0.9e-3:
        raise Failed(f"the learning rate peaks at {lr.max():.1e} at step {peak_at}; it should "
                     "reach the peak 1e-3 at the end of the 100 warm-up steps")
    rise, fall = lr[steps <= 100], lr[steps >= 110]
    if (np.diff(rise) < 0).any():
        raise Failed("the learning rate goes down during the warm-up")
    if (np.diff(fall) > 1e-12).any() or fall[-1] > 0.6 * lr.max():
        raise Failed(f"after the warm-up the learning rate does not decay (it is "
                     f"{fall[-1]:.1e} at step 1000): decay it, e.g. as 1/sqrt(step)")
    return f"warm-up to {lr.max():.1e} at step {peak_at}, then down to {fall[-1]:.1e} at 1000"


def overfit(ev: Evidence) -> str:
    want = [[int(x) for x in row if x >= 0] for row in ev.inputs["overfit_tgt"]]
    got = ev.items("greedy")
    losses = ev.items("loss")
    if len(got) != len(want):
        raise Failed(f"greedy_decode returned {len(got)} rows for {len(want)} sentences")
    if losses and not np.isfinite(losses).all():
        raise Failed("the training loss became NaN or infinite on a dozen pairs")
    right = sum(list(g) == w for g, w in zip(got, want, strict=True))
    alone = ev.get("greedy_alone")
    if right < len(want) and isinstance(alone, list) and len(alone) == len(want):
        differ = [i for i, (g, a) in enumerate(zip(got, alone, strict=True))
                  if list(g) != list(a) and list(a) == want[i]]
        if differ:
            i = differ[0]
            raise Failed(f"greedy_decode translates pair {i} right alone ({want[i]}) but not in "
                         f"a batch of {len(want)} (got {list(got[i])[:12]}): each row must be "
                         "decoded as if it were alone. Stop only once every row has produced "
                         "EOS, and keep the finished rows from changing")
    if right < len(want):
        bad = next(i for i, (g, w) in enumerate(zip(got, want, strict=True)) if list(g) != w)
        raise Failed(f"after {plan.OVERFIT_EPOCHS} epochs on {len(want)} pairs, greedy "
                     f"decoding reproduces {right} of them (pair {bad}: wanted {want[bad]}, "
                     f"got {list(got[bad])[:12]}); final loss {losses[-1] if losses else 'n/a'}."
                     " A model that cannot memorise a dozen pairs has a bug: check the "
                     "shift (decoder input BOS + y, target y + EOS) and the masks")
    return f"memorised all {len(want)} pairs (final loss {losses[-1]:.3f})" if losses else \
        f"memorised all {len(want)} pairs"


def beam(ev: Evidence) -> str:
    want = [[int(x) for x in row if x >= 0] for row in ev.inputs["overfit_tgt"]]
    greedy, one, three = ev.items("greedy"), ev.items("beam1"), ev.items("beam3")
    if [list(r) for r in one] != [list(r) for r in greedy]:
        raise Failed("beam_search with beam=1 differs from greedy decoding; with one beam "
                     "they must agree")
    right = sum(list(g) == w for g, w in zip(three, want, strict=True))
    if right < len(want) - 1:
        raise Failed(f"beam search (beam 3) reproduces {right} of {len(want)} memorised pairs "
                     "where greedy decoding gets them all: check how hypotheses are scored "
                     "(summed log-probabilities) and when they end (EOS)")
    return f"beam 1 equals greedy; beam 3 reproduces {right} of {len(want)} memorised pairs"


def stable(ev: Evidence) -> str:
    runs = ev.items("runs")
    if len(runs) != 2:
        raise Failed("expected two training runs")
    finals = []
    for seed, run in enumerate(runs):
        losses = np.asarray(run, dtype=np.float64)
        if len(losses) < 10:
            raise Failed(f"seed {seed}: the history holds {len(losses)} losses; record the "
                         "loss of every step under history['loss']")
        if not np.isfinite(losses).all():
            raise Failed(f"seed {seed}: the loss became NaN or infinite while learning to "
                         "reverse sequences: is there a warm-up, and are gradients clipped?")
        first, final = float(losses[:3].mean()), float(losses[-5:].mean())
        if final > plan.TOY_DROP * first:
            raise Failed(f"seed {seed}: the loss on the reverse task only went from "
                         f"{first:.2f} to {final:.2f} in {len(losses)} steps; it should fall "
                         f"below {plan.TOY_DROP:.0%} of where it started")
        finals.append(final)
    gap = abs(finals[0] - finals[1]) / max(finals)
    if gap > plan.TOY_GAP:
        raise Failed(f"seeds 0 and 1 end at losses {finals[0]:.2f} and {finals[1]:.2f} "
                     f"({gap:.0%} apart): training depends on luck. Lower the peak learning "
                     "rate or lengthen the warm-up")
    return f"seeds 0 and 1 end at losses {finals[0]:.2f} and {finals[1]:.2f} ({gap:.0%} apart)"


def reproducible(ev: Evidence) -> str:
    runs = ev.items("runs")
    if len(runs) != 3:
        raise Failed("expected three training runs")
    first, second, other = (np.asarray(r, dtype=np.float64) for r in runs)
    if len(first) == 0:
        raise Failed("the training history holds no losses (history['loss'])")
    if first.shape != second.shape or not np.array_equal(first, second):
        where = int(np.argmax(first != second)) if first.shape == second.shape else 0
        raise Failed(f"two runs with seed 0 differ from step {where} on: seed the weights, "
                     "the batch order and dropout from config.seed, not from the global state")
    if first.shape == other.shape and np.array_equal(first, other):
        raise Failed("seeds 0 and 1 give identical training: the seed is ignored")
    initial = ev.get("initial")
    if isinstance(initial, list) and len(initial) == 2 and all(
            w is not None for w in initial):
        a, b = (np.asarray(w, dtype=np.float64) for w in initial)
        if a.shape == b.shape and np.array_equal(a, b):
            raise Failed("train_translator builds the same initial weights with seed 0 and "
                         "seed 1: pass config.seed to build_model, so the seed fixes the whole "
                         "run, initialisation included")
    return f"seed 0 twice: the same {len(first)} losses; seed 1 differs"


def tokenizer(ev: Evidence) -> str:
    specials, constants = ev.get("specials") or {}, ev.get("constants") or {}
    for name in ("pad", "unk", "bos", "eos"):
        if specials.get(name) != constants.get(name):
            raise Failed(f"the tokenizer gives <{'pad' if name == 'pad' else name}> the id "
                         f"{specials.get(name)} but {name.upper()} is {constants.get(name)}: "
                         "train with special tokens [<pad>, <unk>, <s>, </s>] in that order")
    vocab = ev.integer("vocab")
    if vocab > plan.TOKENIZER_VOCAB:
        raise Failed(f"asked for {plan.TOKENIZER_VOCAB} tokens, the tokenizer has {vocab}")
    texts, decoded = list(ev.inputs["tok_test"]), ev.items("decoded")
    ids = ev.items("ids")
    unk = constants.get("unk")
    for text, back, row in zip(texts, decoded, ids, strict=True):
        if unk in row:
            raise Failed(f"{text!r} has unknown tokens: a subword vocabulary should spell "
                         "any word from smaller pieces")
        if re.sub(r"\s+", " ", str(back)).strip().casefold() != text.casefold():
            raise Failed(f"{text!r} comes back from encode and decode as {back!r}: the "
                         "tokenizer must round-trip text (set a decoder that restores spaces)")
    lengths = [len(r) for r in ids]
    return f"{vocab} subwords; held-out sentences round-trip in {lengths} tokens"


_IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+\.png)\)")
_METRIC = {"BLEU": re.compile(r"BLEU[^\n]{0,80}?\d+(\.\d+)?", re.IGNORECASE),
           "chrF": re.compile(r"chrF[^\n]{0,80}?\d+(\.\d+)?", re.IGNORECASE)}
_TABLE_ROW = re.compile(r"^\s*\|.*\|.*\|\s*$", re.MULTILINE)


def _png(ev: Evidence, link: str) -> bool:
    root = ev.learner_dir.resolve()
    path = (root / link).resolve()
    return path.is_relative_to(root) and path.is_file() \
        and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def cross_attention(ev: Evidence) -> str:
    maps = ev.get("cross_ragged")
    if not maps:
        raise Failed("model.cross_attention() returned nothing after a forward pass: keep "
                     "each decoder layer's cross-attention weights (B, H, T, S) to plot them")
    for layer, raw in enumerate(maps):
        try:
            w = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            raise Failed("model.cross_attention() must return a list of weight tensors"
                         ) from None
        if w.shape != (plan.B, plan.HEADS, plan.T, plan.S):
            raise Failed(f"cross-attention of layer {layer} has shape {w.shape}; expected "
                         f"(B, H, T, S) = ({plan.B}, {plan.HEADS}, {plan.T}, {plan.S})")
        if not np.allclose(w.sum(-1), 1.0, atol=1e-4):
            raise Failed(f"cross-attention rows of layer {layer} do not sum to 1")
        if np.abs(w[1, :, :, -2:]).max() > 1e-6:
            raise Failed("the decoder attends to padded source tokens: pass the source "
                         "padding mask to the cross-attention")
    return f"{len(maps)} layers of (B, H, T, S) weights, rows sum to 1, padding gets 0"


def report_attention(ev: Evidence) -> str:
    text = ev.read_text("report.md")
    if text is None:
        raise Failed("no report.md next to translator/: write up your results "
                     "(run_transformer_translate --report . writes one to start from)")
    links = [link for link in _IMAGE_LINK.findall(text) if "attention" in link.lower()]
    if not links:
        raise Failed("report.md shows no attention plot: embed one, e.g. "
                     "![attention](attention.png) (run_transformer_translate --attention)")
    if not any(_png(ev, link) for link in links):
        raise Failed(f"report.md links {links[0]}, but no such PNG is in the project folder")
    return f"report.md shows {links[0]}"


def report_results(ev: Evidence) -> str:
    text = ev.read_text("report.md")
    if text is None:
        raise Failed("no report.md next to translator/: state BLEU and chrF on the held-out "
                     "books and show example translations")
    missing = [name for name, pattern in _METRIC.items() if not pattern.search(text)]
    if missing:
        raise Failed(f"report.md does not state {' or '.join(missing)} with a number")
    if not re.search(r"baseline|dictionary|GRU", text, re.IGNORECASE):
        raise Failed("report.md compares with no baseline: name the word-by-word dictionary "
                     "or the GRU with attention beside your scores")
    # An example row has at least two cells of several words (a source and a
    # translation); a row of scores has one such cell at most.
    examples = [row for row in _TABLE_ROW.findall(text)
                if sum(len(cell.split()) >= 3 for cell in row.strip().strip("|").split("|"))
                >= 2]
    if len(examples) < 4:
        raise Failed(f"report.md has {len(examples)} example translations in a table; show "
                     "at least four, good and bad, each row with the source and your "
                     "translation (and the reference)")
    return f"BLEU, chrF, a baseline and {len(examples)} example translations"
