"""``run_semantic_search``: rank the course passages for a query by meaning.

Encodes every paragraph of both course packs and every glossary entry with the trained
reference encoder (training it first when none is saved: a few minutes on a laptop CPU),
puts the vectors in a FAISS index and prints the best matches with their cosine scores,
numbered as in the course notes. ``--encoder minilm`` uses all-MiniLM-L6-v2 instead, for
comparison. ``--report FILE`` also runs the held-out evaluation (KJV queries against
every WEB verse), measures the index, and writes a Markdown report with a projection plot.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.data import DataUnavailable
from buildreal.projects.p6_search.api import PRESETS, load_text_encoder
from buildreal.projects.p6_search.index import KINDS, VectorIndex


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="run_semantic_search", description=__doc__.split("\n\n")[0])
    p.add_argument("query", help='what to look for, e.g. "vanishing gradients"')
    p.add_argument("-k", type=int, default=5, help="results to print")
    p.add_argument("--index", choices=KINDS, default="hnsw", help="exact or approximate search")
    p.add_argument("--encoder", choices=("learned", "minilm"), default="learned",
                   help="the contrastive encoder trained here, or MiniLM (the ceiling)")
    p.add_argument("--preset", choices=tuple(PRESETS), default="small")
    p.add_argument("--models-dir", type=Path, default=None,
                   help="where the trained encoder is kept (default data/models/p6-search)")
    p.add_argument("--courses", type=Path, default=None,
                   help="folder of course packs (default: the repository's courses/)")
    p.add_argument("--report", type=Path, default=None,
                   help="also evaluate on the held-out books and write this Markdown file")
    p.add_argument("--eval-limit", type=int, default=None,
                   help="held-out queries used by --report (default: all)")
    return p


def _encoder(args: argparse.Namespace):  # noqa: ANN202  (a callable texts -> vectors)
    if args.encoder == "minilm":
        from buildreal.tutor import embedder

        return embedder.Embedder(cache_size=0).encode, "all-MiniLM-L6-v2"
    started = time.monotonic()
    encoder = load_text_encoder(args.models_dir, preset=args.preset)
    if time.monotonic() - started > 5:
        print(f"trained the {args.preset} encoder in {time.monotonic() - started:.0f} s; "
              f"saved to {encoder.path}", file=sys.stderr)
    return encoder.encode, f"contrastive encoder ({args.preset})"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.query.strip():
        print("error: give a query, e.g. run_semantic_search \"solar energy\"", file=sys.stderr)
        return 2
    if args.k < 1:
        print("error: -k must be at least 1", file=sys.stderr)
        return 2
    from buildreal.packs.loader import PackError
    from buildreal.projects.p6_search.corpus import course_passages, where

    try:
        passages = course_passages(args.courses)
        encode, name = _encoder(args)
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except PackError as exc:
        print(f"error: a course pack does not load: {exc}", file=sys.stderr)
        return 2
    if not passages:
        print("error: no course passages found (is --courses a folder of packs?)",
              file=sys.stderr)
        return 2
    vectors = encode([p.text for p in passages])  # (N, D) unit rows
    index = VectorIndex(vectors.shape[1], args.index)
    index.add(vectors)
    started = time.perf_counter()
    scores, ids = index.search(encode([args.query]), min(args.k, len(passages)))
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"query: {args.query}")
    print(f"searched {len(passages)} passages of the course packs with the {name}, "
          f"{args.index} index, in {elapsed_ms:.1f} ms")
    for rank, (score, i) in enumerate(zip(scores[0], ids[0], strict=True), start=1):
        passage = passages[int(i)]
        snippet = textwrap.shorten(passage.text, 110, placeholder=" ...")
        print(f"  {rank}. \"{snippet}\"")
        print(f"     score {score:.3f}  {where(passage)}")
    if args.report is not None:
        from buildreal.projects.p6_search.report import write_report

        write_report(args.report, encode, name, args.eval_limit)
        print(f"report written: {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
