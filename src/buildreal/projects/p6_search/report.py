"""``run_semantic_search --report FILE``: the held-out evaluation and the index figures
of one encoder, written as the Markdown report the Definition of Done asks for."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from buildreal.projects.p6_search.evaluate import (
    Encode,
    dense_scores,
    held_out,
    index_figures,
    projection_plot,
    ranking,
    tfidf_scores,
)


def write_report(path: Path, encode: Encode, name: str, limit: int | None = None) -> None:
    """Evaluate ``encode`` and TF-IDF on the held-out books, measure exact against HNSW
    search over every WEB verse, draw the held-out queries by book, write ``path``."""
    task = held_out(limit)
    ours = ranking(dense_scores(encode, task), task.targets)
    tfidf = ranking(tfidf_scores(task), task.targets)
    corpus = np.concatenate([encode(task.corpus[s:s + 2048])
                             for s in range(0, len(task.corpus), 2048)])
    queries = encode(task.queries)
    figures = index_figures(corpus, queries[:500])[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    plot = path.with_name("projection.png")
    projection_plot(queries, task.books, str(plot), "Held-out KJV verses, coloured by book")
    rows = [("TF-IDF", tfidf), (name, ours)]
    lines = [
        "# Project 6: semantic search report", "",
        f"Held-out task: {len(task.queries)} KJV verses of the held-out books, each "
        f"looking for its WEB verse among all {len(task.corpus)} WEB verses.", "",
        "| model | recall@1 | recall@10 | MRR |", "|---|---|---|---|",
        *[f"| {n} | {m['recall@1']:.3f} | {m['recall@10']:.3f} | {m['mrr']:.3f} |"
          for n, m in rows], "",
        f"Index over the {figures.n} WEB verse vectors, {min(500, len(queries))} queries "
        "one at a time on one thread:", "",
        f"- HNSW (efSearch {figures.ef_search}) recall@10 against exact search: "
        f"{figures.recall_at_10:.3f}",
        f"- exact (flat) query latency: p50 {figures.exact_p50_ms:.2f} ms, "
        f"p95 {figures.exact_p95_ms:.2f} ms",
        f"- HNSW query latency: p50 {figures.approx_p50_ms:.2f} ms, "
        f"p95 {figures.approx_p95_ms:.2f} ms (built in {figures.build_s:.1f} s)", "",
        "Query: `run_semantic_search \"vanishing gradients\" --index hnsw` encodes the "
        "course passages, adds them to the index and prints the top five with cosine "
        "scores.", "",
        f"![held-out queries projected to 2-D]({plot.name})", "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
