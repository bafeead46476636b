"""Module tests and exams: start, save, submit, expire. Grading happens only at submission.

While an attempt is open the server stores what the learner chose and nothing else: the
save path validates the input's shape and writes it, doing the same work whether the
choice is right or wrong, so neither the response nor its timing can hint at the answer.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from buildreal.assessments import grading, ordering, requirements
from buildreal.assessments.models import Attempt, AttemptAnswer
from buildreal.packs.model import Course, Item, Option, Question
from buildreal.progress.services import award_completion
from buildreal.web.hotsql import Aggregate, Insert, Select


class AttemptError(Exception):
    """An attempt cannot be started or changed; the message is shown to the learner."""


@dataclass(frozen=True)
class ShownQuestion:
    number: int  # 1-based position on the page
    question: Question
    options: tuple[tuple[str, Option], ...]  # (form value, option) in shown order
    field: str  # the form field name


# The autosave path runs these on every save; their SQL is built once (web/hotsql.py).
_OWN_ATTEMPT = Select(Attempt, None, "{id} = %s AND {user} = %s", ["id", "user"])
_LOCK = Select(Attempt, ["submitted_at"], "{id} = %s", ["id"], for_update=True)
_UPSERT = Insert(AttemptAnswer, ["attempt", "question_id", "given", "correct", "saved_at"],
                 conflict=["attempt", "question_id"], update=["given", "saved_at"])


def for_user_or_404(user: AbstractBaseUser, pk: int) -> Attempt:
    """The attempt if it is the user's own; 404 otherwise (no hint that it exists)."""
    found = _OWN_ATTEMPT.instances(pk, user.pk) if user.is_authenticated else []
    if not found:
        raise Http404("No such attempt.")
    return found[0]


def attempts_for(user: AbstractBaseUser, course: Course, item: Item) -> list[Attempt]:
    if not user.is_authenticated:
        return []
    return list(Attempt.objects.filter(user=user, course_id=course.id, item_id=item.id))


def open_attempt(user: AbstractBaseUser, course: Course, item: Item) -> Attempt | None:
    return Attempt.objects.filter(
        user=user, course_id=course.id, item_id=item.id, submitted_at__isnull=True
    ).first()


def attempts_left(user: AbstractBaseUser, course: Course, item: Item) -> int | None:
    limit = item.assessment.attempts
    if limit is None:
        return None
    used = Attempt.objects.filter(user=user, course_id=course.id, item_id=item.id).count()
    return max(0, limit - used)


def start(user: AbstractBaseUser, course: Course, item: Item) -> Attempt:
    """Open a new attempt, or return the one already open. Raises ``AttemptError`` when
    the pack's attempt limit is used up or an item it ``requires`` is not passed yet."""
    missing = [r for r in requirements.requirements(user, course, item) if not r.passed]
    if missing:
        raise AttemptError(requirements.missing_message(missing, item))
    current = open_attempt(user, course, item)
    if current is not None:
        expire_if_due(current, course, item)
        if not current.is_submitted:
            return current
    assessment = item.assessment
    used = Attempt.objects.filter(user=user, course_id=course.id, item_id=item.id).count()
    if assessment.attempts is not None and used >= assessment.attempts:
        raise AttemptError(
            f"You have used all {assessment.attempts} attempts at this "
            f"{item.kind}; your best result stands."
        )
    # Numbers follow the highest one so far, so a gap in the numbering (an attempt
    # removed by an operator) cannot block every later start.
    last = Attempt.objects.filter(user=user, course_id=course.id, item_id=item.id
                                  ).aggregate(last=Max("number"))["last"] or 0
    now = timezone.now()
    deadline = (
        now + timedelta(minutes=assessment.time_limit_minutes)
        if assessment.time_limit_minutes
        else None
    )
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user, course_id=course.id, item_id=item.id,
                content_hash=item.content_hash, number=last + 1,
                seed=secrets.token_hex(16), deadline=deadline,
            )
    except IntegrityError:
        # Another request opened an attempt a moment ago (the database allows one open
        # attempt per item and each number once): continue that one.
        raced = open_attempt(user, course, item)
        if raced is None:
            raise AttemptError("That attempt was just started and finished elsewhere.") from None
        return raced


def drawn_questions(seed: str, item: Item) -> list[Question]:
    """The questions of one attempt: ``draw`` of them from the pool (all without a draw),
    each as the question itself or one of its variants, in pack order or shuffled.

    Everything follows from the attempt's seed, which never leaves the server, so a
    reload shows the same sheet and a retake (a new seed) draws a different one.
    """
    assessment = item.assessment
    pool = list(assessment.questions)
    if assessment.draw is not None and assessment.draw < len(pool):
        chosen = {q.id for q in ordering.shuffled(pool, ordering.seed(seed, "draw"))
                  [:assessment.draw]}
        pool = [q for q in pool if q.id in chosen]
    if assessment.shuffle:
        pool = ordering.shuffled(pool, ordering.seed(seed, "questions"))
    return [ordering.shuffled((q, *q.variants), ordering.seed(seed, "variant", q.id))[0]
            if q.variants else q for q in pool]


def shown_questions(attempt: Attempt, item: Item) -> list[ShownQuestion]:
    """Questions (shuffled if the pack asks) and options (always shuffled) for this attempt."""
    questions = drawn_questions(attempt.seed, item)
    shown = []
    for number, question in enumerate(questions, start=1):
        options = ordering.shuffled(question.options, ordering.seed(attempt.seed, question.id))
        values = ordering.position_values(len(options))
        shown.append(ShownQuestion(
            number=number, question=question,
            options=tuple(zip(values, options, strict=True)), field=f"q-{question.id}",
        ))
    return shown


def is_due(attempt: Attempt) -> bool:
    return attempt.deadline is not None and timezone.now() >= attempt.deadline


def expire_if_due(attempt: Attempt, course: Course, item: Item) -> bool:
    """Submit an open attempt whose time is up, with what was saved. True if it did."""
    if attempt.is_submitted or not is_due(attempt):
        return False
    submit(attempt, course, item)
    return True


def save(attempt: Attempt, item: Item, form: MultiValueDict) -> int:
    """Store the answers in ``form``; returns how many questions now have an answer.

    Only questions the form lists in ``shown`` (one hidden field per question on the
    page) are touched, so a partial or empty post never wipes saved answers; for those,
    a missing or unusable value clears the question (the counter shows it), which is how
    unticking every box of a select-all question is saved.
    Raises ``AttemptError`` if the attempt is submitted or its time is up.
    """
    if attempt.is_submitted:
        raise AttemptError("This attempt has been submitted; its answers can no longer change.")
    if is_due(attempt):
        raise AttemptError("Time is up: answers after the deadline are not accepted.")
    present = set(form.getlist("shown"))
    store: list[tuple[str, dict]] = []
    clear: list[str] = []
    for shown in shown_questions(attempt, item):
        if shown.field not in present:
            continue
        values = form.getlist(shown.field)
        if shown.question.type != "numeric":
            by_value = dict(shown.options)
            values = [by_value[v].id if v in by_value else f"?{v}" for v in values]
        try:
            given = grading.parse_answer(shown.question, values)
        except grading.AnswerError:
            clear.append(shown.question.id)
            continue
        store.append((shown.question.id, given))
    # A constant number of queries however many questions the attempt has: autosave
    # posts only the question that changed, and this writes it with one upsert.
    with transaction.atomic():
        locked = _LOCK.rows(attempt.pk)
        if not locked or locked[0][0] is not None:
            raise AttemptError("This attempt has been submitted; its answers can no longer change.")
        saved_at = timezone.now()
        _UPSERT.run_many([(attempt.pk, question_id, given, None, saved_at)
                          for question_id, given in store])
        if clear:
            AttemptAnswer.objects.filter(attempt=attempt, question_id__in=clear).delete()
    return answered_count(attempt, item)


_ANSWERED = Aggregate(AttemptAnswer, ["{question_id}"], "{attempt} = %s", ["attempt"])


def answered_count(attempt: Attempt, item: Item) -> int:
    """Questions of this attempt's sheet with a saved answer (one row per question)."""
    known = {question.id for question in drawn_questions(attempt.seed, item)}
    return sum(1 for (question_id,) in _ANSWERED.rows(attempt.pk) if question_id in known)


def reveals_answers(attempt: Attempt, course: Course, item: Item) -> bool:
    """Does this submitted attempt's review show the right answers and explanations?

    The pack's ``review`` policy decides, on the server: the template only renders what
    this allows. The learner's own choices, score and right/wrong marks always show.
    """
    if not attempt.is_submitted:
        return False
    policy = item.assessment.review
    if policy == "never":
        return False
    if policy == "after-each-attempt":
        return True
    mine = Attempt.objects.filter(user_id=attempt.user_id, course_id=course.id,
                                  item_id=item.id)
    passed = mine.filter(passed=True).exists()
    limit = item.assessment.attempts
    last = limit is not None and mine.count() >= limit and not mine.filter(
        submitted_at__isnull=True).exists()
    if policy == "after-pass":
        return passed
    if policy == "after-last-attempt":
        return last
    return passed or last  # after-pass-or-last-attempt, the default


def submit(attempt: Attempt, course: Course, item: Item) -> Attempt:
    """Grade every saved answer, record the score and pass/fail, award XP on a pass.

    Exactly one submission takes effect: the row is locked and re-checked. A submission
    after the deadline counts only the answers saved before it (saves are refused then).
    """
    assessment = item.assessment
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_submitted:
            return locked
        # Graded against this attempt's own sheet: its draw and the variants it showed.
        sheet = drawn_questions(locked.seed, item)
        by_id = {question.id: question for question in sheet}
        flags = []
        for stored in locked.answers.all():
            question = by_id.get(stored.question_id)
            if question is None:
                continue  # the question left the pack since this attempt began
            stored.correct = grading.grade(question, stored.given).correct
            stored.save(update_fields=["correct"])
            flags.append(stored.correct)
        locked.score = grading.score(flags, len(sheet))
        locked.passed = locked.score >= assessment.pass_mark - 1e-9
        locked.submitted_at = (
            min(timezone.now(), locked.deadline) if locked.deadline else timezone.now()
        )
        locked.save(update_fields=["score", "passed", "submitted_at"])
    if locked.passed:
        award_completion(locked.user, course, item)
    attempt.refresh_from_db()
    return locked
