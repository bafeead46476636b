"""Lesson quizzes: each answer graded and stored at once; XP when every question has one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max, Subquery

from buildreal.assessments import grading, ordering
from buildreal.assessments.models import QuizAnswer
from buildreal.packs.model import Course, Item, Option, Question
from buildreal.progress.services import award_completion


@dataclass(frozen=True)
class ShownOption:
    value: str  # the positional form value (o1, o2, ...)
    option: Option


def shown_options(user: AbstractBaseUser, course: Course, item: Item, question: Question
                  ) -> list[ShownOption]:
    """The question's options in this learner's order, with their form values."""
    who = user.pk if user.is_authenticated else "anonymous"
    order = ordering.shuffled(
        question.options, ordering.seed(settings.SECRET_KEY, "quiz", who, course.id,
                                        item.id, question.id)
    )
    values = ordering.position_values(len(order))
    return [ShownOption(value, option) for value, option in zip(values, order, strict=True)]


def option_ids_for(shown: Sequence[ShownOption], values: Sequence[str]) -> list[str]:
    """Map submitted positional values back to pack option ids (unknown ones pass through
    as themselves so that ``parse_answer`` rejects them with its message)."""
    by_value = {entry.value: entry.option.id for entry in shown}
    return [by_value.get(value, f"?{value}") for value in values]


@dataclass(frozen=True)
class Recorded:
    stored: QuizAnswer
    awarded: bool  # this answer completed the quiz and so awarded its XP
    answered: int  # questions of the quiz with an answer, this one included


def answer(user: AbstractBaseUser, course: Course, item: Item, question: Question,
           values: Sequence[str]) -> tuple[QuizAnswer, bool]:
    """Grade and store one answer. Returns the stored answer and whether this answer
    completed the quiz (and so awarded its XP). Raises ``grading.AnswerError``."""
    recorded = record(user, course, item, question, values)
    return recorded.stored, recorded.awarded


def record(user: AbstractBaseUser, course: Course, item: Item, question: Question,
           values: Sequence[str]) -> Recorded:
    """``answer`` that also says how many questions are answered now (counted once per
    request: the page's "k of N answered" line needs it too)."""
    if question.type != "numeric":
        values = option_ids_for(shown_options(user, course, item, question), values)
    given = grading.parse_answer(question, values)
    result = grading.grade(question, given)
    stored = QuizAnswer.objects.create(
        user=user, course_id=course.id, item_id=item.id, question_id=question.id,
        content_hash=item.content_hash, given=given, correct=result.correct,
    )
    awarded = False
    answered = answered_count(user, course, item)
    if answered == len(item.assessment.questions):
        awarded = award_completion(user, course, item)
    return Recorded(stored, awarded, answered)


def latest_answers(user: AbstractBaseUser, course: Course, item: Item) -> dict[str, QuizAnswer]:
    if not user.is_authenticated:
        return {}
    mine = QuizAnswer.objects.filter(user=user, course_id=course.id, item_id=item.id)
    # Only each question's newest answer is read, however long the learner's history.
    newest = mine.order_by().values("question_id").annotate(last=Max("id")).values("last")
    return {stored.question_id: stored for stored in mine.filter(pk__in=Subquery(newest))}


def answered_count(user: AbstractBaseUser, course: Course, item: Item) -> int:
    known = {question.id for question in item.assessment.questions}
    answered = QuizAnswer.objects.filter(
        user=user, course_id=course.id, item_id=item.id, question_id__in=known
    ).order_by().values_list("question_id", flat=True).distinct()  # see outline.item_states
    return len(set(answered))
