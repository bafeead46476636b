"""Wrong answers become cards, by listening to the assessments app's saves.

A quiz answer is graded when it is stored, so a wrong one becomes a card straight away;
its back (the right answer) shows only once the quiz would show it too (a second wrong
try, "Show me", or a right answer), decided when it is shown (``services.may_show``).
A test answer is graded only when its attempt is submitted (``correct`` is written then,
never earlier), so a card can never be made from an open attempt; whether its back may
show is decided when it is shown, by the test's review policy.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from buildreal.assessments.models import AttemptAnswer, QuizAnswer
from buildreal.flashcards.services import record_mistake


def _quiz_answer_saved(sender: type, instance: QuizAnswer, created: bool, **_: Any) -> None:
    if created and instance.correct is False:
        record_mistake(instance.user, instance.course_id, instance.item_id,
                       instance.question_id, "quiz")


def _attempt_answer_saved(sender: type, instance: AttemptAnswer, created: bool,
                          update_fields: frozenset[str] | None = None, **_: Any) -> None:
    if instance.correct is not False or not update_fields or "correct" not in update_fields:
        return
    attempt = instance.attempt  # being submitted: grading happens only then
    record_mistake(attempt.user, attempt.course_id, attempt.item_id, instance.question_id,
                   "test", attempt)


def connect() -> None:
    post_save.connect(_quiz_answer_saved, sender=QuizAnswer,
                      dispatch_uid="flashcards-quiz-mistakes")
    post_save.connect(_attempt_answer_saved, sender=AttemptAnswer,
                      dispatch_uid="flashcards-test-mistakes")
