"""Project 6, the optional comparison: all-MiniLM-L6-v2 fine-tuned with the project's
InfoNCE loss on the KJV -> WEB training pairs, for a fixed budget of CPU seconds.

The model is the copy the site installs (``buildreal.tutor.embedder.source_dir()``), so
nothing is downloaded. Training uses the reference's symmetric ``info_nce`` at a fixed
temperature of 0.05, AdamW at 2e-5 and batches of 32 shuffled pairs (seeded), and stops
when the budget is spent. Before and after, every KJV verse of the validation and test
books looks for its WEB verse; BM25 on the same corpus is the peer, printed as a ratio.

    nice .venv/bin/python benchmarks/search_finetune.py --cpu-seconds 420 --threads 2
    nice .venv/bin/python benchmarks/search_finetune.py --corpus held-out   # easier task

Encoding the full corpus (31,078 verses) with MiniLM takes over ten minutes on one
core; ``--corpus held-out`` searches only the query books' own verses.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpu-seconds", type=float, default=420.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--corpus", choices=("all", "held-out"), default="all")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import numpy as np
    import torch
    import torch.nn.functional as F
    from sentence_transformers import SentenceTransformer

    from buildreal.projects.data import bibles
    from buildreal.projects.p6_search import evaluate
    from buildreal.projects.p6_search.reference.encoder import info_nce
    from buildreal.tutor import embedder

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    tasks = {books: evaluate.held_out(None, args.corpus, books) for books in ("valid", "test")}
    model = SentenceTransformer(str(embedder.source_dir()), device="cpu")

    def encode(texts: list[str]) -> np.ndarray:
        return model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)  # (N, 384)

    def measure(label: str) -> dict[str, float]:
        started = time.monotonic()
        corpus = encode(tasks["test"].corpus) if args.corpus == "all" else None
        mrr = {}
        for books, task in tasks.items():
            docs = corpus if corpus is not None else encode(task.corpus)
            scores = encode(task.queries) @ docs.T  # (Q, N)
            mrr[books] = evaluate.ranking(scores, task.targets)["mrr"]
        print(f"{label}: MRR validation {mrr['valid']:.4f}, test {mrr['test']:.4f} "
              f"(encoded in {time.monotonic() - started:.0f} s)", flush=True)
        return mrr

    bm25 = {books: evaluate.ranking(evaluate.bm25_scores(task), task.targets)["mrr"]
            for books, task in tasks.items()}
    print(f"BM25: MRR validation {bm25['valid']:.4f}, test {bm25['test']:.4f}", flush=True)
    before = measure("MiniLM as published")

    train = bibles.by_split(bibles.load_verses())["train"]
    order = list(range(len(train)))
    random.Random(args.seed).shuffle(order)
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-5)

    def embed(texts: list[str]) -> torch.Tensor:
        features = model.preprocess(texts)
        return F.normalize(model(features)["sentence_embedding"], dim=-1)  # (B, 384)

    model.train()
    start_cpu, start_wall, steps = _cpu(), time.monotonic(), 0
    while _cpu() - start_cpu < args.cpu_seconds and (steps + 1) * args.batch <= len(order):
        batch = [train[i] for i in order[steps * args.batch:(steps + 1) * args.batch]]
        loss = info_nce(embed([v.kjv for v in batch]), embed([v.web for v in batch]), 0.05)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        steps += 1
        if steps % 10 == 0:
            print(f"  step {steps}: loss {float(loss):.4f}, "
                  f"{_cpu() - start_cpu:.0f} of {args.cpu_seconds:.0f} CPU s", flush=True)
    print(f"fine-tuned {steps} steps ({steps * args.batch} pairs) in "
          f"{_cpu() - start_cpu:.0f} CPU s, {time.monotonic() - start_wall:.0f} s wall")
    model.eval()
    after = measure("MiniLM fine-tuned")
    for books in ("valid", "test"):
        print(f"{books}: fine-tuned / BM25 MRR = {after[books] / bm25[books]:.4f}, "
              f"published / BM25 = {before[books] / bm25[books]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
