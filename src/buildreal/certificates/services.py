"""Who has completed a course, and the record that proves it.

A course is complete for a learner who has a passed attempt at every ``test`` and
``exam`` item of the course (the module tests and the Final Exam). A course without an
exam offers no completion. The rule reads the course pack, so a module test added later
joins it without code changes. Passes are read from submitted attempts graded by the
assessments app (``attempts.submit``), never from a page's "mark complete".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from buildreal.assessments.models import Attempt
from buildreal.certificates.models import CourseCompletion
from buildreal.packs.model import Course

GRADED = ("test", "exam")


@dataclass(frozen=True)
class Step:
    item_id: str
    title: str
    kind: str
    passed: bool


@dataclass(frozen=True)
class Status:
    """Progress toward completing one course."""

    steps: tuple[Step, ...]
    record: CourseCompletion | None

    @property
    def offered(self) -> bool:
        return any(step.kind == "exam" for step in self.steps)

    @property
    def passed(self) -> int:
        return sum(step.passed for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.offered and all(step.passed for step in self.steps)


def learner_name(user: AbstractBaseUser) -> str:
    """The name printed on the completion: the full name if set, else the username."""
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


def status(user: AbstractBaseUser, course: Course) -> Status:
    """Each test and exam of the course, in pack order, with whether the learner passed it."""
    graded = [item for item in course.items() if item.kind in GRADED]
    passed: set[str] = set()
    record = None
    if user.is_authenticated and graded:
        passed = set(Attempt.objects.filter(
            user=user, course_id=course.id, passed=True,
            item_id__in=[item.id for item in graded]).values_list("item_id", flat=True))
        record = CourseCompletion.objects.filter(user=user, course_id=course.id).first()
    return Status(tuple(Step(i.id, i.title, i.kind, i.id in passed) for i in graded), record)


def award_if_complete(user: AbstractBaseUser, course: Course) -> CourseCompletion | None:
    """Create the learner's completion record once the course is complete; return it
    (or None while something is left). Safe to call repeatedly and concurrently: the
    database keeps one record per learner and course."""
    current = status(user, course)
    if current.record is not None or not current.complete:
        return current.record
    try:
        with transaction.atomic():
            return CourseCompletion.objects.create(
                user=user, course_id=course.id, course_title=course.title,
                learner_name=learner_name(user), code=secrets.token_urlsafe(24))
    except IntegrityError:
        return CourseCompletion.objects.filter(user=user, course_id=course.id).first()
