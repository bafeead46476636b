"""Project 6 benchmark: retrieval quality on the held-out books, index recall and
latency, encoding throughput.

1. Held-out task (``p6_search.evaluate``): every KJV verse of the held-out books looks
   for its WEB verse among all WEB verses; first for the validation books (Esther,
   Titus, I Peter: the ones the encoder's settings were chosen on), then for the test
   books (Ruth, Jonah, Mark, Philippians, James: the goal). Recall@1/10 and MRR for
   TF-IDF, BM25, mean word embeddings (MiniLM's word-piece table), all-MiniLM-L6-v2
   and the learner-style contrastive encoder (the reference, ``load_text_encoder()``).
   Goal: the contrastive encoder beats BM25/TF-IDF on MRR.
2. Index: HNSW against exact (flat) search with the contrastive encoder's vectors, at
   10k and 100k vectors, one query at a time on one thread: recall@10, p50/p95 ms.
   Goal: recall@10 >= 0.98 at <= 1 ms per query at 100k.
3. Encoding throughput in sentences per second: the contrastive encoder and MiniLM
   through PyTorch (sentence-transformers) and through ONNX Runtime, same sentences,
   same thread count, printed as ratios.

    nice .venv/bin/python benchmarks/search.py [--out /tmp/p6-bench] [--quick]

Numbers depend on the machine and its load; the script prints ``uptime`` at the start
and the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "uptime unavailable"


def _minilm_onnx():  # noqa: ANN202
    from buildreal.tutor import embedder

    embedder.warm()
    model = embedder._load()  # the ONNX session the site uses, without its text cache
    return model.encode


def _minilm_torch(threads: int):  # noqa: ANN202
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    from buildreal.tutor import embedder

    torch.set_num_threads(threads)
    model = SentenceTransformer(str(embedder.source_dir()), device="cpu")

    def encode(texts):  # noqa: ANN001, ANN202
        return model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)

    return encode


def _cached(path: Path, compute):  # noqa: ANN001, ANN202
    if path.is_file():
        return np.load(path)
    value = compute()
    np.save(path, value)
    return value


def quality(args: argparse.Namespace, encoder,  # noqa: ANN001
            books: str = "test") -> dict[str, dict[str, float]]:
    from buildreal.projects.p6_search import evaluate as ev

    task = ev.held_out(args.limit, args.corpus, books)
    print(f"\n## Held-out retrieval, {books} books ({', '.join(dict.fromkeys(task.books))}): "
          f"{len(task.queries)} KJV queries, {len(task.corpus)} WEB verses in the corpus "
          f"({args.corpus})")
    rows: dict[str, dict[str, float]] = {}
    timed = [("TF-IDF", lambda: ev.tfidf_scores(task)),
             ("BM25", lambda: ev.bm25_scores(task)),
             ("mean word embeddings", lambda: ev.dense_scores(
                 ev.mean_word_embedding_encoder(), task)),
             ("contrastive encoder (ours)", lambda: ev.dense_scores(encoder.encode, task))]
    if not args.no_minilm:
        onnx = _minilm_onnx()

        def minilm_scores() -> np.ndarray:
            name = f"minilm-web-{args.corpus}-{books}-{len(task.corpus)}.npy"
            corpus = _cached(args.out / name, lambda: np.concatenate(
                [onnx(task.corpus[s:s + 64]) for s in range(0, len(task.corpus), 64)]))
            return onnx(task.queries) @ corpus.T

        timed.insert(3, ("all-MiniLM-L6-v2", minilm_scores))
    print("| model | recall@1 | recall@10 | MRR | seconds |")
    print("|---|---|---|---|---|")
    for name, compute in timed:
        started = time.perf_counter()
        scores = compute()
        rows[name] = ev.ranking(scores, task.targets)
        m = rows[name]
        print(f"| {name} | {m['recall@1']:.4f} | {m['recall@10']:.4f} | {m['mrr']:.4f} | "
              f"{time.perf_counter() - started:.0f} |", flush=True)
    ours, best_lexical = rows["contrastive encoder (ours)"]["mrr"], max(
        rows["TF-IDF"]["mrr"], rows["BM25"]["mrr"])
    print(f"goal: contrastive MRR {ours:.4f} vs best of TF-IDF/BM25 {best_lexical:.4f} -> "
          f"{'met' if ours > best_lexical else 'NOT met'} (ratio {ours / best_lexical:.4f})")
    if books != "test":
        return rows
    plot = args.out / "projection.png"
    from buildreal.projects.p6_search.evaluate import projection_plot

    projection_plot(encoder.encode(task.queries), task.books, str(plot),
                    "Held-out KJV verses (contrastive encoder), by book")
    print(f"projection plot: {plot}")
    return rows


def index_bench(args: argparse.Namespace, encoder) -> None:  # noqa: ANN001
    from buildreal.projects.data import bibles
    from buildreal.projects.p6_search import evaluate as ev

    verses = bibles.load_verses()
    split = bibles.by_split(verses)
    queries_text = [v.kjv for v in split["test"]][: args.queries]
    texts = ([v.web for v in verses] + [v.spa for v in verses]
             + [v.kjv for v in split["train"] + split["valid"]])
    halves = [" ".join(v.web.split()[: max(3, len(v.web.split()) // 2)]) for v in verses]
    texts = (texts + halves)[: args.n]
    started = time.perf_counter()
    base = np.concatenate([encoder.encode(texts[s:s + 4096])
                           for s in range(0, len(texts), 4096)])
    queries = encoder.encode(queries_text)
    print(f"\n## Index: {len(base)} vectors of width {base.shape[1]} encoded in "
          f"{time.perf_counter() - started:.0f} s; {len(queries)} queries, one at a time, "
          "FAISS on one thread")
    print("| vectors | efSearch | HNSW recall@10 | exact p50 / p95 ms | HNSW p50 / p95 ms | "
          "HNSW build s | speed-up p50 |")
    print("|---|---|---|---|---|---|---|")
    rng = np.random.default_rng(0)
    for n in (10_000, len(base)):
        subset = base if n == len(base) else base[np.sort(rng.choice(len(base), n, False))]
        for f in ev.index_figures(subset, queries, 10, ef_values=args.ef):
            print(f"| {f.n} | {f.ef_search} | {f.recall_at_10:.4f} | {f.exact_p50_ms:.3f} / "
                  f"{f.exact_p95_ms:.3f} | {f.approx_p50_ms:.3f} / {f.approx_p95_ms:.3f} | "
                  f"{f.build_s:.1f} | {f.exact_p50_ms / f.approx_p50_ms:.1f}x |", flush=True)
            if n == len(base):
                ok = f.recall_at_10 >= 0.98 and f.approx_p50_ms <= 1.0
                print(f"goal at {n}, efSearch {f.ef_search}: recall@10 {f.recall_at_10:.4f} "
                      f"(>= 0.98) at p50 {f.approx_p50_ms:.3f} ms, p95 "
                      f"{f.approx_p95_ms:.3f} ms (<= 1 ms) -> {'met' if ok else 'NOT met'}")


def throughput(args: argparse.Namespace, encoder) -> None:  # noqa: ANN001
    import torch

    from buildreal.projects.data import bibles

    sentences = [v.web for v in bibles.load_verses()][: args.sentences]
    torch.set_num_threads(args.threads)
    from buildreal.tutor import embedder

    embedder.ENCODE_THREADS = args.threads  # read when the ONNX session is created
    runs = [("contrastive encoder, PyTorch", lambda t: encoder.encode(t, batch_size=64))]
    if not args.no_minilm:
        onnx, torch_encode = _minilm_onnx(), _minilm_torch(args.threads)
        def onnx_sorted(texts):  # noqa: ANN001, ANN202
            # Batches of similar length, as sentence-transformers forms them: padding to
            # each batch's longest text would otherwise cost ONNX Runtime extra work.
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            out = np.concatenate([onnx([texts[i] for i in order[s:s + 64]])
                                  for s in range(0, len(texts), 64)])
            return out[np.argsort(order)]

        runs += [("MiniLM, PyTorch (sentence-transformers)", torch_encode),
                 ("MiniLM, ONNX Runtime", onnx_sorted)]
    print(f"\n## Encoding throughput: {len(sentences)} WEB verses, batches of 64, "
          f"{args.threads} thread(s), best of {args.rounds} interleaved rounds")
    print("| encoder | sentences/s | vs MiniLM PyTorch |")
    print("|---|---|---|")
    rates: dict[str, float] = {}
    for _name, run in runs:
        run(sentences[:64])  # warm-up: first-call costs are not throughput
    for _round in range(args.rounds):  # interleaved rounds, best kept: load comes and goes
        for name, run in runs:
            started = time.perf_counter()
            out = run(sentences)
            seconds = time.perf_counter() - started
            assert len(out) == len(sentences)
            rates[name] = max(rates.get(name, 0.0), len(sentences) / seconds)
    peer = rates.get("MiniLM, PyTorch (sentence-transformers)")
    for name, rate in rates.items():
        ratio = f"{rate / peer:.2f}x" if peer else "n/a"
        print(f"| {name} | {rate:.0f} | {ratio} |")


def _seeded_encoder(preset: str, seed: int, out: Path):  # noqa: ANN202
    """The reference trained with another seed, saved under ``out`` for reruns."""
    from buildreal.projects.p6_search.api import (
        PRESETS,
        TextEncoder,
        _read,
        save_encoder,
        train_preset,
    )
    from buildreal.projects.p6_search.reference.encoder import HashTokenizer

    path = out / f"encoder-{preset}-seed{seed}.pt"
    found = _read(path, preset) if path.is_file() else None
    if found is not None:
        return found
    started = time.process_time()
    model, _, history = train_preset(preset, seed=seed)
    print(f"trained seed {seed} in {time.process_time() - started:.0f} s of CPU")
    config = dataclasses.replace(PRESETS[preset].config, seed=seed)
    save_encoder(model, config, path, history)
    return TextEncoder(model, HashTokenizer(config.buckets, config.max_tokens), preset, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/p6-bench"))
    parser.add_argument("--limit", type=int, default=None, help="held-out queries (all)")
    parser.add_argument("--corpus", choices=("all", "held-out"), default="all",
                        help="search every WEB verse (the task) or the held-out books' only")
    parser.add_argument("--books", choices=("valid", "test", "both"), default="both",
                        help="query books: validation (tuned on), test (the goal) or both")
    parser.add_argument("--n", type=int, default=100_000, help="vectors in the big index")
    parser.add_argument("--queries", type=int, default=1000, help="index queries")
    parser.add_argument("--ef", type=int, nargs="+", default=[32, 64, 128])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2, help="throughput rounds")
    parser.add_argument("--preset", default="small")
    parser.add_argument("--seed", type=int, default=None,
                        help="train a fresh reference with this seed (kept under --out, "
                        "never as the site's model) instead of loading the preset's")
    parser.add_argument("--no-minilm", action="store_true")
    parser.add_argument("--only", choices=("quality", "index", "throughput"), default=None)
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 100 queries, 20k vectors, 256 sentences")
    args = parser.parse_args()
    if args.quick:
        args.limit, args.n, args.queries, args.sentences = 100, 20_000, 100, 256
    args.out.mkdir(parents=True, exist_ok=True)
    from buildreal.projects.p6_search.api import load_text_encoder

    print(f"load at start: {_uptime()}")
    if args.seed is None:
        encoder = load_text_encoder(preset=args.preset)
    else:
        encoder = _seeded_encoder(args.preset, args.seed, args.out)
    print(f"contrastive encoder: preset {args.preset}, width {encoder.dim}, {encoder.path}")
    if args.only in (None, "quality"):
        for books in ("valid", "test") if args.books == "both" else (args.books,):
            quality(args, encoder, books)
    if args.only in (None, "index"):
        index_bench(args, encoder)
    if args.only in (None, "throughput"):
        throughput(args, encoder)
    print(f"\nload at end: {_uptime()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
