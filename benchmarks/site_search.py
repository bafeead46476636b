"""Site search on the real course packs: index build time (cold: every passage encoded;
warm: vectors read from disk) and query latency, fused search against its full-text
half alone as the named peer.

    nice .venv/bin/python benchmarks/site_search.py [--data /tmp/search-bench]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

QUERIES = ["vanishing gradients", "overfitting", "learning rate warmup",
           "why does my loss go to nan", "attention heads", "batch normalization",
           "how do I choose an embedding size", "tokenizer", "dropout", "residual connection"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/tmp/buildreal-search-bench")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["BUILDREAL_DATA_DIR"] = args.data
    os.environ.setdefault("BUILDREAL_COURSES_DIR",
                          str(Path(__file__).resolve().parents[1] / "courses"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "buildreal.web.settings"
    import django

    django.setup()
    from buildreal.catalog.content import get_catalog
    from buildreal.search import fulltext, index
    from buildreal.tutor import embedder

    started = time.perf_counter()
    get_catalog()
    print(f"packs loaded: {time.perf_counter() - started:.1f} s")
    embedder.warm()
    first = index.build_index()
    print(f"first build: {len(first.passages)} passages, {first.encoded} encoded, "
          f"{first.build_seconds:.1f} s")
    again = index.build_index()
    print(f"warm build (vectors on disk): {again.encoded} encoded, {again.build_seconds:.2f} s")
    fused, words = [], []
    for _ in range(args.repeat):
        for query in QUERIES:
            t = time.perf_counter()
            index.search(query)
            fused.append(time.perf_counter() - t)
            t = time.perf_counter()
            fulltext.match(query)
            words.append(time.perf_counter() - t)
    f, w = statistics.median(fused) * 1000, statistics.median(words) * 1000
    print(f"query median: fused {f:.1f} ms, full-text only {w:.1f} ms, ratio {f / w:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
