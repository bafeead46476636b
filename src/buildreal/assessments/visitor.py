"""Lesson quizzes for visitors without an account: graded, never stored.

A visitor's answer is graded like a learner's, but nothing reaches the database (no
answer, no completion, no session). What the server needs to withhold the right answer
the same way as for a learner (shown after a second wrong try or "Show me") travels
with the form as a signed token: the visitor cannot forge "two wrong tries" to see the
answer early, and replaying an old token only returns to an earlier state.
"""

from __future__ import annotations

from django.core import signing

from buildreal.assessments.quiz import QuestionState
from buildreal.packs.model import Course, Item, Question

SALT = "buildreal.assessments.visitor"


def _scope(course: Course, item: Item, question: Question) -> list[str]:
    return [course.id, item.id, question.id]


def load_state(token: str, course: Course, item: Item, question: Question) -> QuestionState:
    """The visitor's tries on this question so far; a missing, bad or foreign token
    counts as none."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return QuestionState()
    if not isinstance(data, dict) or data.get("on") != _scope(course, item, question):
        return QuestionState()
    tries, wrong = int(data.get("tries", 0)), int(data.get("wrong", 0))
    return QuestionState(tries=tries, wrong=wrong, solved=bool(data.get("solved")),
                         asked=bool(data.get("asked")))


def dump_state(state: QuestionState, course: Course, item: Item, question: Question) -> str:
    return signing.dumps({"on": _scope(course, item, question), "tries": state.tries,
                          "wrong": state.wrong, "solved": state.solved,
                          "asked": state.asked}, salt=SALT)


def after_answer(state: QuestionState, correct: bool) -> QuestionState:
    return QuestionState(tries=state.tries + 1, wrong=state.wrong + (not correct),
                         solved=state.solved or correct,
                         first_try_right=state.tries == 0 and correct, asked=state.asked)


def after_show(state: QuestionState) -> QuestionState:
    return QuestionState(tries=state.tries, wrong=state.wrong, solved=state.solved,
                         asked=True)
