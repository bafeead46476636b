"""Reply latency of the lab partner's default backend on the Module 1 labs.

Replays the scripted conversations in tests/tutor/transcripts the way the web app calls
the engine (the whole transcript after every learner turn, one long-lived engine) and
times each reply, with the embedding matcher and with the words-only fallback. The model
load and each lab's own embeddings are paid before timing starts, as the web app pays
them at start-up; every learner sentence is new to the caches when its reply is timed.

Figures are printed beside two references measured or fixed in the same run:
  - one embedding call: encoding a single short sentence with the same model, the
    smallest unit of work a semantic reply can cost;
  - a 200 ms interactive budget, the usual bound for a reply to feel immediate.

    nice -n 10 .venv/bin/python benchmarks/tutor.py [--passes 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from buildreal.packs.loader import load_course
from buildreal.tutor import Engine, LexicalMatcher, SemanticMatcher, Turn
from buildreal.tutor.embedder import Embedder

ROOT = Path(__file__).resolve().parents[1]
TRANSCRIPTS = ROOT / "tests" / "tutor" / "transcripts"
LABS = ["m1-l1-lab", "m1-l2-lab", "m1-l3-lab", "m1-l4-lab"]
BUDGET_MS = 200.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def conversations() -> list[tuple[str, list[str]]]:
    out = []
    for lab_id in LABS:
        spec = json.loads((TRANSCRIPTS / f"{lab_id}.json").read_text())
        out.append((lab_id, [t if isinstance(t, str) else t["say"] for t in spec["turns"]]))
    return out


def time_replies(engine: Engine, labs: dict, convs, seed: int) -> list[float]:
    """Milliseconds per reply, the engine's caches holding only this conversation."""
    times: list[float] = []
    for lab_id, turns in convs:
        transcript: list[Turn] = []
        for text in turns:
            transcript.append(Turn.learner(text))
            start = time.perf_counter()
            reply = engine.reply(labs[lab_id], transcript, seed=seed)
            times.append((time.perf_counter() - start) * 1000)
            transcript.append(Turn.partner(reply.message))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    course = load_course(ROOT / "courses" / "build-real-things")
    labs = {lab_id: course.item(lab_id).lab for lab_id in LABS}
    convs = conversations()

    start = time.perf_counter()
    embedder = Embedder()
    semantic = SemanticMatcher(embedder)
    for lab in labs.values():
        semantic.warm_up(lab)
    load_s = time.perf_counter() - start

    def embed_call_ms(tag: str) -> float:
        """Median time to encode one new short sentence (the cache never hits)."""
        times = []
        for i in range(30):
            t0 = time.perf_counter()
            embedder.encode([f"The validation loss rises after epoch {i} while training "
                             f"falls ({tag})."])
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    embed_call_ms("warm-up")  # the first calls of a shape pay one-off kernel set-up
    before = embed_call_ms("before")

    results: dict[str, list[float]] = {"embedding": [], "lexical": []}
    for p in range(args.passes):
        # Fresh caches each pass, so every learner sentence is encoded when its reply is
        # timed; the model stays loaded and each lab's own vectors are built untimed.
        fresh = SemanticMatcher(Embedder())
        for lab in labs.values():
            fresh.warm_up(lab)
        for name, matcher in (("embedding", fresh), ("lexical", LexicalMatcher())):
            results[name] += time_replies(Engine(matcher=matcher), labs, convs, seed=p)

    one_call_ms = statistics.median([before, embed_call_ms("after")])
    turns = sum(len(t) for _, t in convs)
    print(f"Module 1 labs: {len(LABS)} conversations, {turns} learner turns, "
          f"{args.passes} passes per matcher")
    print(f"one-time start-up (model load + lab embeddings): {load_s:.1f} s (not per reply)")
    print(f"reference: one embedding call (median of 30, before and after): {one_call_ms:.1f} ms; "
          f"interactive budget: {BUDGET_MS:.0f} ms")
    print(f"{'matcher':<10} {'p50 ms':>8} {'p95 ms':>8} {'p50/embed':>10} {'p95/embed':>10} "
          f"{'p95/budget':>10}")
    for name, times in results.items():
        p50, p95 = percentile(times, 50), percentile(times, 95)
        print(f"{name:<10} {p50:8.1f} {p95:8.1f} {p50 / one_call_ms:10.2f} "
              f"{p95 / one_call_ms:10.2f} {p95 / BUDGET_MS:10.2f}")


if __name__ == "__main__":
    main()
