"""Parse and grade one answer to one question. Pure Python: no Django, no I/O.

An answer is stored as JSON in one of two shapes: ``{"options": ["a", "c"]}`` (single and
multiple choice, option ids sorted) or ``{"value": 100480.0}`` (numeric).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from buildreal.packs.model import Question

Answer = dict  # {"options": [...]} or {"value": float}

# Thousands separators that may be typed: "100,480" or "100 480" (not "3,5").
_GROUPED = re.compile(r"^[+-]?\d{1,3}([, _]\d{3})+(\.\d+)?$")


class AnswerError(ValueError):
    """The learner's input is not a usable answer; the message says what to enter."""


@dataclass(frozen=True)
class Graded:
    correct: bool
    chosen: tuple[str, ...] = ()  # option ids the learner chose
    value: float | None = None  # numeric answer as given


def parse_number(text: str) -> float:
    raw = text.strip().replace("\u2212", "-")
    if _GROUPED.match(raw):
        raw = re.sub(r"[, _]", "", raw)
    try:
        value = float(raw)
    except ValueError:
        raise AnswerError(
            f"{text.strip()!r} is not a number: enter digits such as 0.25, -3 or 100480."
        ) from None
    if not math.isfinite(value):
        raise AnswerError("Enter a finite number.")
    return value


def parse_answer(question: Question, given: Sequence[str]) -> Answer:
    """Turn submitted form values into a stored answer, or raise ``AnswerError``.

    ``given`` holds option ids (choice questions) or the typed text (numeric).
    """
    if question.type == "numeric":
        text = given[0] if given else ""
        if not text.strip():
            raise AnswerError("Enter a number.")
        return {"value": parse_number(text)}
    known = {option.id for option in question.options}
    chosen = sorted(set(given))
    if not chosen:
        raise AnswerError(
            "Choose an option." if question.type == "single" else "Choose at least one option."
        )
    if any(option_id not in known for option_id in chosen):
        raise AnswerError("That option is not part of this question; reload the page.")
    if question.type == "single" and len(chosen) != 1:
        raise AnswerError("Choose exactly one option.")
    return {"options": chosen}


def grade(question: Question, answer: Answer) -> Graded:
    """Is ``answer`` right? Choice answers must match the correct set exactly."""
    if question.type == "numeric":
        value = float(answer["value"])
        target = float(question.answer if question.answer is not None else math.nan)
        # A hair of relative slack so that 0.1 + 0.2 typed as 0.3 still counts.
        slack = question.tolerance + 1e-9 * max(1.0, abs(target))
        return Graded(correct=abs(value - target) <= slack, value=value)
    chosen = tuple(sorted(answer.get("options", ())))
    right = tuple(sorted(option.id for option in question.options if option.correct))
    return Graded(correct=chosen == right, chosen=chosen)


def score(correct_flags: Sequence[bool], total: int) -> float:
    """Fraction right out of ``total`` questions (unanswered count as wrong)."""
    return (sum(1 for flag in correct_flags if flag) / total) if total else 0.0
