"""Lesson quizzes: each answer graded and stored at once.

Progress means mastery: a quiz is done only when every question has been answered
correctly, and its XP scales with the questions right at the first try. A wrong pick
earns that option's feedback and a hint; the right answer is shown only after a second
wrong try or when the learner asks for it ("Show me"), decided here from what is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Max, Subquery

from buildreal.assessments import grading, ordering
from buildreal.assessments.models import QuizAnswer, QuizReveal
from buildreal.packs.model import Course, Item, Option, Question
from buildreal.progress.services import award_completion
from buildreal.web.hotsql import Aggregate, Insert, names


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


WRONG_TRIES_BEFORE_REVEAL = 2


@dataclass(frozen=True)
class QuestionState:
    """What the learner's stored history says about one question."""

    tries: int = 0
    wrong: int = 0
    solved: bool = False  # answered correctly at least once
    first_try_right: bool = False
    asked: bool = False  # "Show me" was pressed

    @property
    def revealed(self) -> bool:
        """May the right answer and the explanations be shown?"""
        return self.solved or self.asked or self.wrong >= WRONG_TRIES_BEFORE_REVEAL


# A quiz answer reads these on every POST; their SQL is built once (web/hotsql.py).
_MINE = "{user} = %s AND {course_id} = %s AND {item_id} = %s"
_ASKED = Aggregate(QuizReveal, ["{question_id}"], _MINE, ["user", "course_id", "item_id"])
_PAIRS = Aggregate(QuizAnswer, ["DISTINCT {question_id}", "{correct}"], _MINE,
                   ["user", "course_id", "item_id"])
_INSERT = Insert(QuizAnswer)
# Per question: its first wrong and first right answer, and its wrong and right answers
# counted up to WRONG_TRIES_BEFORE_REVEAL (no rule looks further), all quiz questions in
# one statement. Each is a seek in the (user, course, item, question, correct, id)
# index, so a learner's thousandth answer costs what their first did.
_PER_QUESTION = 4


@lru_cache(maxsize=64)
def _states_sql(alias: str, questions: int) -> str:
    table, column = names(QuizAnswer, alias)
    where = " AND ".join(f"{column[name]} = %s" for name in (
        "user", "course_id", "item_id", "question_id", "correct"))
    first = f"(SELECT MIN({column['id']}) FROM {table} WHERE {where})"
    upto = (f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {where} "
            f"LIMIT {WRONG_TRIES_BEFORE_REVEAL}) AS upto)")
    return "SELECT " + ", ".join([f"{first}, {first}, {upto}, {upto}"] * questions)


def _histories(user_pk: int, course_id: str, item_id: str, question_ids: list[str]
               ) -> dict[str, tuple[int, int, int | None, int | None]]:
    """Per question: (answers up to 2, wrong ones up to 2, first answer's id, first
    right answer's id)."""
    if not question_ids:
        return {}
    params: list[object] = []
    for question_id in question_ids:
        mine = [user_pk, course_id, item_id, question_id]
        params += [*mine, False, *mine, True, *mine, False, *mine, True]
    with connection.cursor() as cursor:
        cursor.execute(_states_sql(connection.alias, len(question_ids)), params)
        row = cursor.fetchone()
    out = {}
    for index, question_id in enumerate(question_ids):
        first_wrong, first_right, wrong, right = row[index * _PER_QUESTION:
                                                     (index + 1) * _PER_QUESTION]
        tries = min(WRONG_TRIES_BEFORE_REVEAL, wrong + right)
        first = min((i for i in (first_wrong, first_right) if i is not None), default=None)
        out[question_id] = (tries, wrong, first, first_right)
    return out


def question_states(user: AbstractBaseUser, course: Course, item: Item,
                    only: str | None = None) -> dict[str, QuestionState]:
    """The state of every question of the quiz (``only``: of that one), reading a few
    index entries per question however long the learner's history (questions never
    answered or asked about are absent). ``tries`` and ``wrong`` count up to
    WRONG_TRIES_BEFORE_REVEAL."""
    if not user.is_authenticated:
        return {}
    asked = {question_id for (question_id,) in _ASKED.rows(user.pk, course.id, item.id)}
    wanted = [q.id for q in item.assessment.questions if only is None or q.id == only]
    states = {}
    for question_id, (tries, wrong, first, first_right) in _histories(
            user.pk, course.id, item.id, wanted).items():
        if not tries:
            continue
        states[question_id] = QuestionState(
            tries=tries, wrong=wrong, solved=first_right is not None,
            # Seeing the answer first makes a right first pick no longer the learner's own.
            first_try_right=first_right is not None
            and first_right == first and question_id not in asked,
            asked=question_id in asked)
    for question_id in asked - set(states):
        states[question_id] = QuestionState(asked=True)
    return states


def earned_xp(item: Item, states: dict[str, QuestionState]) -> int:
    """The quiz's XP times the share of its questions right at the first try."""
    questions = item.assessment.questions
    first = sum(1 for q in questions if states.get(q.id, QuestionState()).first_try_right)
    return round(item.xp * first / len(questions)) if questions else 0


def reveal(user: AbstractBaseUser, course: Course, item: Item, question: Question) -> None:
    """Record "Show me" for ``question`` (once; asking again changes nothing)."""
    QuizReveal.objects.get_or_create(user=user, course_id=course.id, item_id=item.id,
                                     question_id=question.id)


@dataclass(frozen=True)
class Recorded:
    stored: QuizAnswer
    awarded: bool  # this answer completed the quiz and so awarded its XP
    answered: int  # questions of the quiz with an answer, this one included
    solved: int = 0  # questions of the quiz answered correctly at least once
    xp: int = 0  # XP this answer awarded (0 unless ``awarded``)
    states: dict[str, QuestionState] | None = None  # every question's, this answer included


def answer(user: AbstractBaseUser, course: Course, item: Item, question: Question,
           values: Sequence[str]) -> tuple[QuizAnswer, bool]:
    """Grade and store one answer. Returns the stored answer and whether this answer
    completed the quiz (and so awarded its XP). Raises ``grading.AnswerError``."""
    recorded = record(user, course, item, question, values)
    return recorded.stored, recorded.awarded


def record(user: AbstractBaseUser, course: Course, item: Item, question: Question,
           values: Sequence[str]) -> Recorded:
    """``answer`` that also says how many questions are answered and solved now (counted
    once per request: the page's "k of N" line needs them too). The quiz completes, and
    pays its XP, when every question has a correct answer."""
    if question.type != "numeric":
        values = option_ids_for(shown_options(user, course, item, question), values)
    given = grading.parse_answer(question, values)
    result = grading.grade(question, given)
    stored = _INSERT.create(QuizAnswer(
        user=user, course_id=course.id, item_id=item.id, question_id=question.id,
        content_hash=item.content_hash, given=given, correct=result.correct))
    # One read of the learner's answers gives the "k of N" counts, the completion check
    # and the question's own state (the view renders it from ``states``).
    states = question_states(user, course, item)
    known = [q.id for q in item.assessment.questions]
    answered = sum(1 for qid in known if qid in states and states[qid].tries)
    solved = sum(1 for qid in known if qid in states and states[qid].solved)
    awarded, xp = False, 0
    if result.correct and solved == len(item.assessment.questions):
        xp = earned_xp(item, states)
        awarded = award_completion(user, course, item, xp=xp)
    return Recorded(stored, awarded, answered, solved, xp if awarded else 0, states)


def latest_answers(user: AbstractBaseUser, course: Course, item: Item) -> dict[str, QuizAnswer]:
    if not user.is_authenticated:
        return {}
    mine = QuizAnswer.objects.filter(user=user, course_id=course.id, item_id=item.id)
    # Only each question's newest answer is read, however long the learner's history.
    newest = mine.order_by().values("question_id").annotate(last=Max("id")).values("last")
    return {stored.question_id: stored for stored in mine.filter(pk__in=Subquery(newest))}


def answered_count(user: AbstractBaseUser, course: Course, item: Item) -> int:
    return answered_and_solved(user, course, item)[0]


def answered_and_solved(user: AbstractBaseUser, course: Course, item: Item) -> tuple[int, int]:
    """Questions with any answer, and questions with a correct one, in one query."""
    known = {question.id for question in item.assessment.questions}
    pairs = [(qid, right) for qid, right in _PAIRS.rows(user.pk, course.id, item.id)
             if qid in known]  # one row per question and outcome (see outline.item_states)
    return len({qid for qid, _ in pairs}), len({qid for qid, right in pairs if right})
