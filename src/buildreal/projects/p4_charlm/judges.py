"""Project 4's judges: in the toolkit's process, they decide from what the learner's
``charlm`` package returned (see ``probes``): perplexities from the validation logits,
norms at the optimizer's step, the states passed between windows, sampled frequencies,
and the samples' surprisal under an n-gram model fitted here."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.data import DataUnavailable, load_shakespeare
from buildreal.projects.p4_charlm import plan
from buildreal.projects.p4_charlm.corpus import Vocab
from buildreal.projects.p4_charlm.ngram import NgramModel
from buildreal.projects.sandbox import Failed

NGRAM_ORDER = 3
COHERENCE_MARGIN = 0.25  # bits per character below the unigram samples' surprisal


@functools.cache
def _texts() -> tuple[str, str]:
    """60,000 characters of one play to train on and 8,000 of another to validate on."""
    try:
        works = load_shakespeare()
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    return works["hamlet"][: plan.TRAIN_CHARS], works["macbeth"][: plan.VAL_CHARS]


def make_inputs() -> dict[str, Any]:
    train, val = _texts()
    vocab = Vocab.from_texts(train, val)
    return {"train": vocab.encode_array(train).astype(np.int64),
            "val": vocab.encode_array(val).astype(np.int64),
            "prime": np.array(vocab.encode("Once upon"), dtype=np.int64),
            "vocab_size": len(vocab)}


def _nats(logits: np.ndarray, targets: np.ndarray) -> float:
    z = logits.astype(np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(targets)), targets].mean())


def perplexity(ev: Evidence) -> str:
    val = ev.inputs["val"]
    targets = val[1:]
    before, after = ev.array("before"), ev.array("after")
    for name, logits in (("before", before), ("after", after)):
        if logits.ndim != 2 or logits.shape[0] != len(targets):
            raise Failed(f"the validation pass gave logits of shape {logits.shape} ({name} "
                         f"training); expected ({len(targets)}, vocabulary)")
    nats_before = _nats(before, targets)
    ppl_before, ppl_after = math.exp(nats_before), math.exp(_nats(after, targets))
    if not ppl_after < 0.6 * ppl_before:
        raise Failed(f"validation perplexity went from {ppl_before:.1f} to {ppl_after:.1f} "
                     f"after {plan.PERPLEXITY_STEPS} steps on 60,000 characters of Hamlet "
                     "(needs to fall below 60% of the start). Are the targets the inputs "
                     "shifted by one character?")
    unigram = _unigram_perplexity(ev)
    if not ppl_after < UNIGRAM_SHARE * unigram:
        raise Failed(f"validation perplexity went from {ppl_before:.1f} to {ppl_after:.1f}, no "
                     f"better than predicting each character by its frequency alone (perplexity "
                     f"{unigram:.1f}): the model learns no context. Is each row of the batch "
                     "one contiguous stretch of text, and are logits and targets flattened in "
                     "the same order, so each target is the next character of its own stream?")
    first = [float(v) for v in ev.items("first_losses")] if ev.has("first_losses") else []
    if first and not nats_before / 20 < first[0] < 2.0 * nats_before:
        raise Failed(f"the loss your training records at its first step is {first[0]:.3g}, "
                     f"while the untrained model's cross-entropy is {nats_before:.2f} nats per "
                     "character: report the mean over every predicted character, batch and "
                     "time (F.cross_entropy on the flattened (B·T, V) logits)")
    return (f"validation perplexity {ppl_before:.1f} -> {ppl_after:.1f} in "
            f"{plan.PERPLEXITY_STEPS} steps (character frequencies alone: {unigram:.1f})")


UNIGRAM_SHARE = 0.9  # the trained model's perplexity must be below 90% of the unigram's


def _unigram_perplexity(ev: Evidence) -> float:
    """Perplexity on the validation text of the training text's character frequencies
    (add-one smoothed): what a model that ignores all context can reach."""
    train, val = ev.inputs["train"], ev.inputs["val"]
    counts = np.bincount(train, minlength=int(ev.inputs["vocab_size"])) + 1.0
    return math.exp(float(-np.log(counts / counts.sum())[val[1:]].mean()))


def zeroing(ev: Evidence) -> str:
    steps = ev.items("steps")
    if len(steps) < 2:
        raise Failed(f"train_tbptt called optimizer.step() {len(steps)} time(s) in 5 steps")
    for i, s in enumerate(steps):
        made = float(s["made"])
        if made == 0.0:
            raise Failed(f"at optimizer step {i + 1} no backward() had run since the previous "
                         "step: call loss.backward() before optimizer.step()")
        if float(s["gap"]) > 1e-3 * made:
            raise Failed(f"gradients are never cleared: at optimizer step {i + 1} the gradient "
                         f"the optimizer used has norm {float(s['seen']):.3g}, but this step's "
                         f"backward() produced {made:.3g}; the earlier steps' gradients are "
                         "still added in. Call optimizer.zero_grad() before each backward()")
    return f"each of {len(steps)} optimizer steps used only the gradient of its own window"


def clipping(ev: Evidence) -> str:
    seen = [float(v) for v in ev.items("seen")]
    norms = [float(v) for v in ev.items("history_norms")]
    clip = plan.CLIP
    if not seen:
        raise Failed("train_tbptt never called optimizer.step() (or no parameter had a "
                     "gradient when it did)")
    over = [i for i, n in enumerate(seen) if n > clip * 1.001 + 1e-7]
    if over:
        raise Failed(f"at optimizer step {over[0] + 1} the gradient norm was "
                     f"{seen[over[0]]:.3g} with clip={clip}: call clip_grad_norm_ after "
                     "backward() and before step()")
    if len(norms) != len(seen) or max(norms, default=0.0) <= clip:
        raise Failed("the history's grad_norm should hold one norm per step, measured before "
                     f"clipping (got {len(norms)} values for {len(seen)} steps, largest "
                     f"{max(norms, default=0.0):.3g}); clip_grad_norm_ returns it")
    return (f"gradient norm at every step <= clip {clip} (largest before clipping "
            f"{max(norms):.3g})")


def state(ev: Evidence) -> str:
    windows = ev.items("windows")
    crash = ev.get("crash")
    if ev.integer("calls") < 2:
        if crash:
            raise Failed(str(crash))
        raise Failed(f"train_tbptt ran {ev.integer('calls')} forward pass(es) with gradients "
                     "for 4 steps; expected one per window")
    for i, w in enumerate(windows):
        window = i + 2
        if w["fresh"]:
            raise Failed(f"window {window} started from a fresh (zero) hidden state: pass the "
                         "state returned by the previous window into the next one")
        if not w["same"]:
            raise Failed(f"the state passed into window {window} is not the state the previous "
                         "window returned")
        if w["tracked"]:
            raise Failed(f"the state passed into window {window} still carries its autograd "
                         f"graph (grad_fn={w['tracked']}): detach it between windows, or every "
                         "backward() runs through all earlier windows")
    if crash:
        raise Failed(str(crash))
    return f"{ev.integer('calls')} windows: each started from the previous state, detached"


def _frequencies(ids: list[int], k: int) -> np.ndarray:
    return np.bincount(np.asarray(ids, dtype=np.int64), minlength=k)[:k] / max(1, len(ids))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _fmt(v: np.ndarray) -> str:
    return "[" + ", ".join(f"{x:.2f}" for x in v) + "]"


def sampling(ev: Evidence) -> str:
    logits = np.array(plan.FIXED_LOGITS)
    n = plan.SAMPLES
    for key, temperature in (("t0.5", 0.5), ("t2", 2.0)):
        ids = ev.items(key)
        if len(ids) != n:
            raise Failed(f"sample(..., length={n}) returned {len(ids)} ids")
        if any(not isinstance(i, int) or not 0 <= i < 5 for i in ids):
            raise Failed("sample returned ids outside the model's 5-character vocabulary")
        got = _frequencies(ids, 5)
        want = _softmax(logits / temperature)
        tv = 0.5 * np.abs(got - want).sum()
        if tv > 0.05:
            why = (f"at temperature {temperature} the sampled frequencies {_fmt(got)} are far "
                   f"from softmax(logits / {temperature}) = {_fmt(want)} (total variation "
                   f"{tv:.2f})")
            if 0.5 * np.abs(got - _softmax(logits * temperature)).sum() < 0.05:
                why += ": the logits were multiplied by the temperature instead of divided"
            elif 0.5 * np.abs(got - _softmax(logits)).sum() < 0.05:
                why += (": the temperature has no effect (dividing probabilities by it changes "
                        "nothing once they are renormalised); divide the logits by it before "
                        "the softmax")
            raise Failed(why)
    for key, k in (("k2", 2), ("k3", 3)):
        ids = ev.items(key)
        outside = sum(1 for i in ids if i not in range(k))
        if outside:
            raise Failed(f"with top_k={k} only the {k} likeliest characters may be drawn, but "
                         f"{outside} of {n} samples were others")
        drawn = len(set(ids))
        if drawn < k:
            raise Failed(f"with top_k={k} only {drawn} distinct character(s) were drawn in {n} "
                         f"samples: top-k must keep the k likeliest characters, not {drawn} "
                         "(an off-by-one in the cut, or a strict < where ties count?)")
        want = _softmax(logits[:k])
        got = _frequencies(ids, k)
        if 0.5 * np.abs(got - want).sum() > 0.05:
            raise Failed(f"with top_k={k} the frequencies {_fmt(got)} are far from the "
                         f"softmax over the {k} likeliest logits {_fmt(want)}")
    return ("frequencies match softmax(logits / T) at T = 0.5 and 2; top_k = 2 and 3 keep "
            "exactly the 2 and 3 likeliest characters")


@functools.cache
def _ngram() -> tuple[NgramModel, np.ndarray]:
    inputs = make_inputs()
    train = inputs["train"]
    counts = np.bincount(train, minlength=inputs["vocab_size"]).astype(np.float64)
    return NgramModel(train, inputs["vocab_size"], max_order=NGRAM_ORDER), counts / counts.sum()


def _bits(model: NgramModel, ids: np.ndarray) -> float:
    return float(-np.mean(np.log2(model.probabilities(ids)[NGRAM_ORDER])))


def _entropy(ids: list[int]) -> float:
    p = np.bincount(np.asarray(ids, dtype=np.int64)) / len(ids)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def _sampling_calls(ev: Evidence) -> None:
    """The model's forward calls while sampling at temperature 1: in evaluation mode when
    it has dropout, and reading the whole prime. The context of a call is what its state
    carries plus what it reads (a fresh state carries nothing), so both sampling from a
    carried state and re-reading the whole text each step are accepted."""
    calls = ev.get("sample_calls")
    if not isinstance(calls, list) or not calls:
        return
    if ev.flag("dropout") and any(c.get("training") for c in calls):
        raise Failed("sample runs the model in training mode, so dropout keeps changing its "
                     "predictions: call model.eval() before sampling")
    prime = [int(i) for i in ev.inputs["prime"]]
    context: list[int] = []
    for call in calls:
        if call.get("rows") != 1:
            return  # a batch of candidates: not judged here
        ids = [int(i) for i in call.get("ids", [])]
        context = ids if call.get("fresh") else context + ids
        if context[: len(prime)] == prime:
            return
    raise Failed(f"while sampling, the model never read the whole prime (its {len(prime)} "
                 "characters, in order, from a fresh state): feed every character of prime "
                 "before drawing, so the samples continue the prime")


def coherence(ev: Evidence) -> str:
    samples = ev.get("samples")
    if not isinstance(samples, dict):
        raise Failed("the check received no samples from your model")
    texts = {t: samples.get(str(t)) for t in plan.SAMPLE_TEMPERATURES}
    vocab = int(ev.inputs["vocab_size"])
    for t, ids in texts.items():
        if not isinstance(ids, list) or len(ids) != plan.SAMPLE_LENGTH or any(
                not isinstance(i, int) or not 0 <= i < vocab for i in ids):
            raise Failed(f"sample(model, prime, {plan.SAMPLE_LENGTH}, temperature={t}) did not "
                         f"return {plan.SAMPLE_LENGTH} character ids")
    _sampling_calls(ev)
    model, unigram = _ngram()
    rng = np.random.default_rng(0)
    baseline = rng.choice(len(unigram), size=plan.SAMPLE_LENGTH, p=unigram)
    ours = _bits(model, np.asarray(texts[1.0]))
    theirs = _bits(model, baseline)
    if not ours < theirs - COHERENCE_MARGIN:
        raise Failed(f"text sampled from your trained model at temperature 1 costs "
                     f"{ours:.2f} bits per character under a {NGRAM_ORDER}-gram model of "
                     f"Hamlet, no better than characters drawn independently by frequency "
                     f"({theirs:.2f}): the samples are not using the context (is the state "
                     "carried from one sampled character to the next?)")
    entropies = [_entropy(texts[t]) for t in plan.SAMPLE_TEMPERATURES]
    shown = ", ".join(f"T={t}: {h:.2f}" for t, h in zip(plan.SAMPLE_TEMPERATURES, entropies,
                                                        strict=True))
    if not entropies[0] < entropies[1] < entropies[2]:
        raise Failed(f"the samples' character entropy does not rise with temperature "
                     f"({shown} bits): a higher temperature must flatten the distribution")
    return (f"samples cost {ours:.2f} bits/char under a {NGRAM_ORDER}-gram model against "
            f"{theirs:.2f} for frequency-only text; entropy rises with temperature ({shown})")


def reproducible(ev: Evidence) -> str:
    first, second = ev.items("runs")[:2]
    for name in first["weights"]:
        a = np.asarray(first["weights"][name])
        b = np.asarray(second["weights"].get(name))
        if a.shape != b.shape or not np.array_equal(a, b):
            raise Failed(f"two runs with seed 3 from the same initial weights end with "
                         f"different weights ({name}): seed torch and every generator "
                         "(dropout, window offsets) from config.seed")
    if first["loss"] != second["loss"]:
        raise Failed("two runs with seed 3 report different losses")
    runs = ev.items("runs")
    if len(runs) > 2 and first["loss"] and first["loss"] == runs[2]["loss"] and all(
            np.array_equal(np.asarray(w), np.asarray(runs[2]["weights"].get(k)))
            for k, w in first["weights"].items()):
        raise Failed("runs with seed 3 and seed 4 end with identical weights and losses: "
                     "config.seed is not used (seed torch and the window offsets from it)")
    a, b = ev.items("texts")
    if a != b:
        raise Failed("sample with the same seeded generator gave different text: draw every "
                     "random number from the generator argument")
    return "same seed, same weights, same losses and same samples"
