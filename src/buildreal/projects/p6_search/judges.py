"""Project 6's judges: in the toolkit's process, they decide from what the learner's
``encoder`` package returned (see ``probes``). Every deciding number is recomputed here:
InfoNCE in NumPy from its definition, ranks and MRR by counting, exact neighbours by a
full matrix product."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.data import DataUnavailable, bibles
from buildreal.projects.p6_search import plan
from buildreal.projects.sandbox import Failed

# The hand-checked ranking case (targets on the diagonal). A rank counts every document
# scoring at least as high as the target, itself included. Query 0 has nothing above 0.9
# (rank 1); query 1 has 0.8 and 0.7 above its 0.5 and a tie at 0.5 (rank 4: a tie counts
# against the target); query 2 has 0.6 above 0.4 (rank 2); query 3 has all three above
# 0.05 (rank 4).
HAND_SCORES = [[0.9, 0.1, 0.3, 0.2],
               [0.8, 0.5, 0.7, 0.5],
               [0.2, 0.6, 0.4, 0.1],
               [0.3, 0.9, 0.8, 0.05]]
HAND_RANKS = [1, 4, 2, 4]
HAND_RECALL = {1: 0.25, 2: 0.5, 3: 0.5}
HAND_MRR = (1 + 1 / 4 + 1 / 2 + 1 / 4) / 4  # 0.5
# The same case with the tie counted for the target (query 1 at rank 3).
TIES_FOR_TARGET_MRR = (1 + 1 / 3 + 1 / 2 + 1 / 4) / 4
# A wide case (3 queries, 5 documents, targets off the diagonal): ranks 2, 1, 5.
WIDE_SCORES = [[0.1, 0.2, 0.3, 0.9, 0.8],
               [0.7, 0.1, 0.2, 0.3, 0.4],
               [0.5, 0.6, 0.0, 0.2, 0.1]]
WIDE_TARGETS = [4, 0, 2]
WIDE_RANKS = [2, 1, 5]


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def make_inputs() -> dict[str, Any]:
    """Paraphrase pairs (training books for training, held-out books for judging), fixed
    vectors for the loss and the index, fixed token ids for pooling."""
    try:
        split = bibles.by_split(bibles.load_verses())
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    rng = np.random.default_rng(6)
    train = [split["train"][i] for i in rng.permutation(len(split["train"]))[:plan.TRAIN_PAIRS]]
    held = [split["test"][i] for i in rng.permutation(len(split["test"]))[:plan.EVAL_PAIRS]]
    q = _unit(rng.standard_normal((plan.LOSS_B, plan.LOSS_D)))
    d = _unit(q + 0.8 * rng.standard_normal((plan.LOSS_B, plan.LOSS_D)))
    lengths = [plan.POOL_T, 6, 3, 1]
    ids = rng.integers(1, plan.BUCKETS, (plan.POOL_B, plan.POOL_T))
    for row, length in enumerate(lengths):
        ids[row, length:] = 0  # PAD
    centres = rng.standard_normal((40, plan.INDEX_D))
    def points(n: int) -> np.ndarray:
        return _unit(centres[rng.integers(0, 40, n)] + 0.6 * rng.standard_normal(
            (n, plan.INDEX_D)))
    return {
        "train_q": [v.kjv for v in train], "train_d": [v.web for v in train],
        "eval_q": [v.kjv for v in held], "eval_d": [v.web for v in held],
        "eval_books": [v.book for v in held],
        "loss_q": q, "loss_d": d,
        "ids": ids.astype(np.int64),
        "ids_padded": np.pad(ids, ((0, 0), (0, plan.POOL_EXTRA))).astype(np.int64),
        "hand_scores": np.array(HAND_SCORES, dtype=np.float32),
        "wide_scores": np.array(WIDE_SCORES, dtype=np.float32),
        "wide_targets": np.array(WIDE_TARGETS, dtype=np.int64),
        "index_base": points(plan.INDEX_N), "index_queries": points(plan.INDEX_Q),
    }


# --- the loss -------------------------------------------------------------------------

def _log_softmax(logits: np.ndarray) -> np.ndarray:
    top = logits.max(axis=1, keepdims=True)
    return logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))


def _ce(logits: np.ndarray, labels: np.ndarray) -> float:
    return float(-_log_softmax(logits)[np.arange(len(logits)), labels].mean())


def reference_info_nce(q: np.ndarray, d: np.ndarray, temperature: float,
                       symmetric: bool) -> float:
    """InfoNCE with in-batch negatives, from its definition (float64)."""
    logits = q.astype(np.float64) @ d.astype(np.float64).T / temperature  # (B, B)
    labels = np.arange(len(q))
    forward = _ce(logits, labels)
    return (forward + _ce(logits.T, labels)) / 2 if symmetric else forward


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-4 * max(1.0, abs(b))


def loss_matches(ev: Evidence) -> str:
    q, d = ev.inputs["loss_q"], ev.inputs["loss_d"]
    labels = np.arange(len(q))
    for t in plan.TEMPERATURES:
        for symmetric in (True, False):
            key = f"{'sym' if symmetric else 'one'}_{t}"
            got, want = ev.number(key), reference_info_nce(q, d, t, symmetric)
            if _near(got, want):
                continue
            logits = (q @ d.T).astype(np.float64)
            if _near(got, reference_info_nce(q, d, 1.0 / t, symmetric)) \
                    or _near(got, (_ce(logits * t, labels) + _ce(logits.T * t, labels)) / 2):
                raise Failed(f"your loss multiplies the similarities by the temperature "
                             f"({got:.4f} where InfoNCE gives {want:.4f} at t={t}): divide "
                             "by it, so a small temperature sharpens the softmax")
            if _near(got, reference_info_nce(q, d, 1.0, symmetric)):
                raise Failed(f"your loss ignores the temperature ({got:.4f} at t={t}, "
                             f"InfoNCE gives {want:.4f}): divide the similarities by it")
            wrong_labels = [np.zeros_like(labels), labels[::-1], np.roll(labels, 1)]
            if any(_near(got, _ce(logits / t, w)) or _near(got, (_ce(logits / t, w)
                   + _ce(logits.T / t, w)) / 2) for w in wrong_labels):
                raise Failed("the labels of your cross-entropy are not the diagonal: the "
                             "positive of query i is document i of the batch, so the "
                             "labels are torch.arange(B)")
            if symmetric and _near(got, reference_info_nce(q, d, t, False)):
                raise Failed(f"symmetric=True gives only one direction ({got:.4f}, the "
                             f"query-to-document term); the symmetric loss averages it "
                             f"with document-to-query (logits.T), {want:.4f}")
            if symmetric and _near(got, 2 * want):
                raise Failed("symmetric=True sums the two directions; average them")
            one = ev.number(f"one_{t}")
            if _near(one, len(q) * reference_info_nce(q, d, t, False)):
                raise Failed(f"your cross-entropy is summed over the batch ({one:.4f} where "
                             f"the mean gives {reference_info_nce(q, d, t, False):.4f}): "
                             "average it, so the loss does not grow with the batch size")
            if not symmetric and _near(got, reference_info_nce(q, d, t, True)):
                raise Failed("symmetric=False still averages both directions: it should "
                             "give the query-to-document term alone")
            raise Failed(f"info_nce(q, d, {t}, symmetric={symmetric}) gives {got:.4f} on "
                         f"fixed unit vectors; InfoNCE with in-batch negatives gives "
                         f"{want:.4f}")
    return (f"equals InfoNCE on fixed inputs at temperatures {plan.TEMPERATURES}, one and "
            "both directions")


def loss_gradient(ev: Evidence) -> str:
    if not ev.flag("loss_has_grad"):
        raise Failed("the loss carries no gradient back to the embeddings (computed "
                     "under torch.no_grad, detached or converted to NumPy?)")
    return "the loss is differentiable with respect to both sides"


# --- pooling and normalisation --------------------------------------------------------

def normalised(ev: Evidence) -> str:
    emb = ev.array("emb", ndim=2)
    if emb.shape[0] != plan.POOL_B:
        raise Failed(f"the model returned {emb.shape[0]} rows for a batch of {plan.POOL_B}")
    norms = np.linalg.norm(emb, axis=1)
    if not np.allclose(norms, 1.0, atol=1e-4):
        raise Failed(f"embeddings are not unit length (norms {norms.round(3).tolist()}), yet "
                     "the loss and the index score by dot product as if they were cosines: "
                     "normalise (F.normalize) before the similarity")
    texts = ev.array("text_emb", ndim=2)
    if not np.allclose(np.linalg.norm(texts, axis=1), 1.0, atol=1e-4):
        raise Failed("encode(...) returns rows that are not unit length: normalise the "
                     "vectors it returns too")
    return f"model rows and encode() rows have unit length ({emb.shape[1]} dimensions)"


def padding_ignored(ev: Evidence) -> str:
    a = ev.array("emb", ndim=2)
    b = ev.array("emb_padded", shape=a.shape)
    gap = float(np.abs(a - b).max())
    if gap > 1e-4:
        raise Failed(f"extra padding changes the embeddings (by up to {gap:.3f}): your mean "
                     "pooling counts the padding positions; average over real tokens only "
                     "(multiply by the mask, divide by the mask's sum)")
    if np.allclose(a, a[:1], atol=1e-5):
        raise Failed("every text gets the same embedding: the pooled vector ignores the "
                     "tokens")
    return f"{plan.POOL_EXTRA} extra padding positions leave every embedding unchanged"


# --- ranking metrics ------------------------------------------------------------------

def _wrong_axis_ranks(scores: np.ndarray) -> np.ndarray:
    target = scores[np.arange(len(scores)), np.arange(len(scores))][None, :]
    return (scores >= target).sum(axis=0)


def metrics_hand_case(ev: Evidence) -> str:
    ranks = np.asarray(HAND_RANKS, dtype=np.float64)
    mrr = ev.number("mrr")
    if not _near(mrr, HAND_MRR):
        if _near(mrr, float(np.mean(1.0 / (ranks + 1)))):
            raise Failed(f"your MRR is off by one rank ({mrr:.4f}, hand-checked "
                         f"{HAND_MRR:.4f}): ranks start at 1 for the first result, so "
                         "a 0-based position needs + 1 once, not twice")
        if not np.isfinite(mrr) or _near(mrr, float(np.mean(1.0 / np.maximum(ranks - 1, 1)))):
            raise Failed(f"your MRR is off by one rank ({mrr}): a 0-based position was used "
                         "as the rank; the first result has rank 1")
        if _near(mrr, TIES_FOR_TARGET_MRR):
            raise Failed(f"your MRR counts a tie in the target's favour ({mrr:.4f}, hand-"
                         f"checked {HAND_MRR:.4f}): a document scoring exactly as high as "
                         "the target must rank above it, or a model that gives every "
                         "document the same score would rank every target first")
        if _near(mrr, float(np.mean(1.0 / _wrong_axis_ranks(np.array(HAND_SCORES))))):
            raise Failed("your MRR ranks along the wrong axis: each query's documents are a "
                         "row of the score matrix (rank within axis 1)")
        raise Failed(f"MRR on the hand-checked 4x4 case is {HAND_MRR:.4f} (ranks "
                     f"{HAND_RANKS}); yours is {mrr:.4f}")
    wrong = _wrong_axis_ranks(np.array(HAND_SCORES))
    for k, want in HAND_RECALL.items():
        got = ev.number(f"recall@{k}")
        if _near(got, want):
            continue
        if _near(got, float(np.mean(wrong <= k))):
            raise Failed(f"your recall@{k} is computed on the wrong axis ({got:.2f}, hand-"
                         f"checked {want:.2f}): you ranked each document's column of queries;"
                         " rank the documents of each query (its row, axis 1)")
        if _near(got, float(np.mean(ranks < k))) or _near(got, float(np.mean(ranks <= k + 1))):
            raise Failed(f"your recall@{k} is off by one ({got:.2f}, hand-checked "
                         f"{want:.2f}): a target at rank k counts as found")
        raise Failed(f"recall@{k} on the hand-checked case is {want:.2f} (ranks "
                     f"{HAND_RANKS}); yours is {got:.2f}")
    wide = ev.get("wide")
    if isinstance(wide, str):
        raise Failed(f"on 3 queries against 5 documents your metrics {wide}: the score "
                     "matrix need not be square, and targets need not be on its diagonal")
    got_wide = ev.array("wide", shape=(3,))
    want_wide = float(np.mean(1.0 / np.array(WIDE_RANKS)))
    if not _near(float(got_wide[0]), want_wide) or not _near(
            float(got_wide[1]), float(np.mean(np.array(WIDE_RANKS) <= 1))):
        raise Failed(f"with 5 documents and targets {WIDE_TARGETS} your MRR is "
                     f"{got_wide[0]:.4f} (expected {want_wide:.4f}, ranks {WIDE_RANKS}): "
                     "rank each query's own target, wherever it sits in the row")
    return (f"hand-checked cases: MRR {HAND_MRR:.4f}, recall@1/2/3 "
            f"{'/'.join(str(v) for v in HAND_RECALL.values())}, a non-square case")


# --- the trained model ----------------------------------------------------------------

def _trained(ev: Evidence, prefix: str = "") -> tuple[np.ndarray, np.ndarray]:
    n = plan.EVAL_PAIRS
    q = ev.array(f"{prefix}q", ndim=2)
    d = ev.array(f"{prefix}d", shape=q.shape)
    if q.shape[0] != n:
        raise Failed(f"encode returned {q.shape[0]} rows for {n} texts")
    if not np.isfinite(q).all() or not np.isfinite(d).all():
        raise Failed("the trained model's embeddings contain NaN or infinity: the loss "
                     "diverged (temperature too small, or a learned one not kept positive?)")
    return _unit(q.astype(np.float64)), _unit(d.astype(np.float64))


def batch_top1(q: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    """Share of queries whose positive beats every in-batch negative, and the mean
    margin (positive cosine minus mean negative cosine), over batches of EVAL_BATCH."""
    wins, margins = [], []
    for s in range(0, len(q), plan.EVAL_BATCH):
        sims = q[s:s + plan.EVAL_BATCH] @ d[s:s + plan.EVAL_BATCH].T  # (b, b)
        pos = np.diag(sims)
        neg = sims[~np.eye(len(sims), dtype=bool)].reshape(len(sims), -1)
        wins += list(pos > neg.max(axis=1))
        margins += list(pos - neg.mean(axis=1))
    return float(np.mean(wins)), float(np.mean(margins))


def positives_above_negatives(ev: Evidence) -> str:
    q, d = _trained(ev)
    top1, margin = batch_top1(q, d)
    if top1 < plan.MIN_BATCH_TOP1:
        raise Failed(f"after training, only {top1:.0%} of held-out KJV verses score their "
                     f"WEB paraphrase above all {plan.EVAL_BATCH - 1} in-batch negatives "
                     f"(at least {plan.MIN_BATCH_TOP1:.0%} expected; mean margin "
                     f"{margin:.3f}). Check the loss, the labels and that the optimizer "
                     "steps")
    return (f"{top1:.0%} of held-out positives beat all {plan.EVAL_BATCH - 1} in-batch "
            f"negatives; mean margin {margin:.3f}")


def no_collapse(ev: Evidence) -> str:
    _q, d = _trained(ev)
    spread = d.std(axis=0)
    mean_cos = float((d @ d.T)[~np.eye(len(d), dtype=bool)].mean())
    if mean_cos > 0.9 or spread.mean() < 1e-3:
        raise Failed(f"the embeddings have collapsed: different verses have mean cosine "
                     f"{mean_cos:.2f} and each dimension varies by {spread.mean():.4f} on "
                     "average. The loss needs its negatives (in-batch, with the diagonal "
                     "as labels)")
    return f"different verses: mean cosine {mean_cos:.2f}; per-dimension std {spread.mean():.3f}"


def _mrr(q: np.ndarray, d: np.ndarray) -> float:
    scores = q @ d.T
    target = np.diag(scores)[:, None]
    return float(np.mean(1.0 / (1 + (scores > target).sum(axis=1))))


def mrr_improves(ev: Evidence) -> str:
    q, d = _trained(ev)
    q0, d0 = _trained(ev, "initial_")
    after, before = _mrr(q, d), _mrr(q0, d0)
    if after < before + plan.MIN_MRR_GAIN:
        raise Failed(f"training did not improve retrieval: held-out MRR {before:.3f} with "
                     f"the initial weights, {after:.3f} after training (a gain of at least "
                     f"{plan.MIN_MRR_GAIN} expected)")
    return (f"held-out MRR ({plan.EVAL_PAIRS} KJV queries against their WEB verses): "
            f"{before:.3f} untrained -> {after:.3f} trained")


def loss_falls(ev: Evidence) -> str:
    losses = [float(v) for v in ev.items("history_loss")]
    if len(losses) < 2:
        raise Failed(f"train_encoder's history holds {len(losses)} loss value(s); record "
                     "the mean loss of every epoch under history['loss']")
    if not np.isfinite(losses).all() or losses[-1] >= losses[0]:
        raise Failed(f"the training loss went from {losses[0]:.3f} to {losses[-1]:.3f}")
    return f"training loss {losses[0]:.3f} -> {losses[-1]:.3f}"


# --- the index ------------------------------------------------------------------------

def _exact(ev: Evidence) -> np.ndarray:
    base, queries = ev.inputs["index_base"], ev.inputs["index_queries"]
    return np.argsort(-(queries.astype(np.float64) @ base.astype(np.float64).T),
                      axis=1, kind="stable")[:, :plan.K]


def index_exact(ev: Evidence) -> str:
    ids = ev.array("exact_ids", shape=(plan.INDEX_Q, plan.K), dtype=np.int64)
    want = _exact(ev)
    agree = float(np.mean([len(set(a) & set(b)) / plan.K for a, b in zip(ids, want,
                                                                         strict=True)]))
    if agree < 0.999:
        if np.array_equal(ids, np.argsort((ev.inputs["index_queries"].astype(np.float64)
                                           @ ev.inputs["index_base"].T), axis=1)[:, :plan.K]):
            raise Failed("your exact search returns the least similar vectors: FAISS's "
                         "inner-product index ranks the highest score first")
        raise Failed(f"your exact index finds {agree:.1%} of the true 10 nearest "
                     "neighbours (by cosine): use IndexFlatIP on unit vectors (IndexFlatL2 "
                     "ranks by distance, so it agrees only for unit-length vectors)")
    sims = np.take_along_axis(ev.inputs["index_queries"].astype(np.float64)
                              @ ev.inputs["index_base"].T.astype(np.float64), ids, axis=1)
    if (np.diff(sims, axis=1) > 1e-6).any():
        raise Failed("your search returns the right neighbours but not best first: scores "
                     "must fall along each row, so the first result is the closest")
    return f"exact search returns the true top-{plan.K} of {plan.INDEX_N} vectors"


def index_recall(ev: Evidence) -> str:
    approx = ev.array("approx_ids", shape=(plan.INDEX_Q, plan.K), dtype=np.int64)
    want = _exact(ev)
    recall = float(np.mean([len(set(a) & set(b)) / plan.K for a, b in zip(approx, want,
                                                                          strict=True)]))
    reported = ev.number("reported_recall")
    if abs(reported - recall) > 1e-6:
        raise Failed(f"recall_vs_exact says {reported:.4f} for your approximate index, but "
                     f"it found {recall:.4f} of the exact top-{plan.K}: count, per query, the "
                     "exact neighbours among the approximate ones, divided by k")
    hand = ev.number("hand_recall")
    if abs(hand - plan.RECALL_HAND_VALUE) > 1e-6:
        raise Failed(f"recall_vs_exact gives {hand:.4f} for approximate ids "
                     f"{plan.RECALL_HAND[0]} against exact {plan.RECALL_HAND[1]}, not "
                     f"{plan.RECALL_HAND_VALUE}: count the exact neighbours found in any "
                     "position (a set intersection per query), divided by k")
    if recall < plan.MIN_INDEX_RECALL:
        raise Failed(f"your approximate index finds only {recall:.1%} of the exact "
                     f"top-{plan.K} (at least {plan.MIN_INDEX_RECALL:.0%} expected): raise "
                     "efSearch (HNSW) or nprobe (IVF)")
    return f"approximate index recall@{plan.K} against exact search: {recall:.3f}"


_MRR = re.compile(r"\bMRR\b", re.IGNORECASE)
_RECALL = re.compile(r"recall@\d+", re.IGNORECASE)
_NUMBER = re.compile(r"\d\.\d+")
_LATENCY = re.compile(r"\d+(\.\d+)?\s*(ms|µs|us)\b")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def stated(text: str, name: re.Pattern[str]) -> bool:
    """Whether the text gives a number for ``name``: on the same line, within 80
    characters after it, or in a Markdown table column headed by it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        for match in name.finditer(line):
            if _NUMBER.search(line[match.end():match.end() + 80]):
                return True
        if "|" not in line:
            continue
        columns = [j for j, cell in enumerate(_cells(line)) if name.search(cell)]
        for row in lines[i + 1:]:
            if "|" not in row:
                break
            cells = _cells(row)
            if any(j < len(cells) and _NUMBER.search(cells[j]) for j in columns):
                return True
    return False


def report(ev: Evidence) -> str:
    text = ev.read_text("report.md")
    if text is None:
        raise Failed("no report.md next to encoder/: document your index and a query with "
                     "its MRR, recall@k and query latency (run_semantic_search --report "
                     "report.md writes one to copy)")
    missing = [what for what, ok in (("an MRR", stated(text, _MRR)),
                                      ("a recall@k", stated(text, _RECALL)),
                                      ("a query latency in ms", bool(_LATENCY.search(text))))
               if not ok]
    if missing:
        raise Failed(f"report.md does not state {', '.join(missing)} with its number")
    return "report.md states MRR, recall@k and query latency"


# --- reproducibility ------------------------------------------------------------------

def reproducible(ev: Evidence) -> str:
    runs = ev.items("runs")
    if len(runs) != 3:
        raise Failed("expected three runs")
    a, b, c = (np.asarray(r, dtype=np.float64) for r in runs)
    if a.shape != b.shape or not np.array_equal(a, b):
        diff = float(np.abs(a - b).max()) if a.shape == b.shape else float("nan")
        raise Failed(f"two runs with seed 3 give different embeddings (largest difference "
                     f"{diff:.4f}): seed the weights and the shuffling from config.seed")
    if a.shape == c.shape and np.array_equal(a, c):
        raise Failed("seeds 3 and 4 give identical embeddings: the seed is ignored")
    return "same seed, same embeddings; a different seed, different ones"
