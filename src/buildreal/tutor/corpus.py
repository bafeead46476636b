"""Measuring concept credit against a labelled corpus of learner turns.

A corpus file (tests/tutor/corpus/<lab>.yaml) lists learner turns, each with the
concepts it should earn; every other concept it should not earn. ``evaluate`` runs them
through an engine the way a conversation would (the earning rule of ``moves.earned``,
a partner question where the turn answers one, the earlier turns of a flip) and counts:

- precision of concept credit over every turn, recall over the turns that should earn;
- the share of negations that are credited with the concept they deny (goal 0);
- the share of keyword-list conversations that complete the lab (goal 0);
- the share of flips the partner challenges.

Used by ``benchmarks/tutor.py`` (the printed table) and by the test that holds the
corpus to its goals. Held-out turns (``held: true``) are reported apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from buildreal.packs.model import Lab
from buildreal.tutor.engine import Engine
from buildreal.tutor.moves import earned
from buildreal.tutor.state import Turn

KINDS = ("paraphrase", "probe-answer", "negation", "keywords", "weak", "bare", "off-topic",
         "flip")


@dataclass(frozen=True)
class Item:
    say: str
    kind: str
    earns: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()  # the concept a negation/weak/bare turn is about
    probe: str | None = None
    before: tuple[str, ...] = ()
    move: str | None = None
    held: bool = False


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    negations: int = 0
    negations_credited: int = 0
    negations_challenged: int = 0
    flips: int = 0
    flips_challenged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load(path: Path, lab: Lab) -> tuple[str, list[Item]]:
    """(lab id, items); raises ValueError naming the file and item on a bad entry."""
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    ids = {c.id for c in lab.rubric}
    items = []
    for n, raw in enumerate(data["turns"], start=1):
        kind = raw.get("kind")
        if kind not in KINDS or not isinstance(raw.get("say"), str):
            raise ValueError(f"{path}: turn {n}: needs `say` and a kind in {KINDS}")
        item = Item(
            say=raw["say"], kind=kind, earns=tuple(raw.get("earns", ())),
            avoid=tuple(raw.get("not", ())), probe=raw.get("probe"),
            before=tuple(raw.get("before", ())), move=raw.get("move"),
            held=bool(raw.get("held", False)),
        )
        unknown = set(item.earns) | set(item.avoid) | ({item.probe} - {None})
        if unknown - ids:
            raise ValueError(f"{path}: turn {n}: unknown concept(s) {sorted(unknown - ids)}")
        items.append(item)
    return data["lab"], items


def credited(engine: Engine, lab: Lab, item: Item) -> tuple[str, ...]:
    """The concepts the turn earns on its own (after a partner question if it answers one)."""
    return earned(engine.analyse(lab, item.say), item.probe)


def evaluate(engine: Engine, lab: Lab, items: Iterable[Item]) -> Score:
    score = Score()
    for item in items:
        if item.kind == "flip":
            score.flips += 1
            transcript = [Turn.learner(t) for t in (*item.before, item.say)]
            last = engine.replay(lab, transcript, seed=0)[-1]
            if last.move == (item.move or "flip"):
                score.flips_challenged += 1
            else:
                score.errors.append(f"flip not challenged ({last.move}): {item.say}")
            continue
        got = set(credited(engine, lab, item))
        want = set(item.earns)
        score.tp += len(got & want)
        score.fp += len(got - want)
        score.fn += len(want - got)
        for concept in sorted(got - want):
            score.errors.append(f"{item.kind} credited {concept}: {item.say}")
        for concept in sorted(want - got):
            score.errors.append(f"{item.kind} missed {concept}: {item.say}")
        if item.kind == "negation":
            score.negations += 1
            score.negations_credited += bool(got & set(item.avoid))
            move = engine.replay(lab, [Turn.learner(item.say)], seed=0)[-1].move
            score.negations_challenged += move in ("deny", "pushback")
    return score


def keyword_conversation_completes(engine: Engine, lab: Lab, items: Iterable[Item]) -> bool:
    """Whether a conversation made only of the corpus's keyword lists (each one also
    naming a choice, the way the issue's learner did) completes the lab."""
    lists = [i.say for i in items if i.kind == "keywords"]
    choice = lab.choices[0]
    turns = [f"{choice.id.replace('-', ' ')} {text}" for text in lists] + lists + ["finish"]
    replies = engine.replay(lab, [Turn.learner(t) for t in turns], seed=0)
    return any(r.state.completed for r in replies)
