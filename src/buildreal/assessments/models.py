from __future__ import annotations

from django.conf import settings
from django.db import models


class QuizAnswer(models.Model):
    """One answer to one quiz question. Every answer is kept (history, analytics)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_answers"
    )
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    question_id = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    given = models.JSONField()  # {"options": [...]} or {"value": x}; see grading.py
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "course_id", "item_id"]),
            # A question's first answers and its wrong ones are index seeks, so a quiz
            # answer costs the same after 1,500 answers as after none (quiz.py).
            models.Index(fields=["user", "course_id", "item_id", "question_id", "correct",
                                 "id"], name="assessments_qa_history"),
        ]
        ordering = ["answered_at", "id"]


class Attempt(models.Model):
    """One sitting of a module test or exam.

    ``seed`` fixes the question and option order for this attempt and never leaves the
    server. ``deadline`` is set when the pack has a time limit; answers after it are
    refused and the attempt is submitted with what was saved.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    number = models.PositiveIntegerField()  # 1 for the first attempt at this item
    seed = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_id", "item_id", "number"],
                name="assessments_attempt_number_once",
            ),
            # Two Start requests racing each other must not open two attempts (and use up
            # two of the pack's allowance): the database keeps one open attempt per item.
            models.UniqueConstraint(
                fields=["user", "course_id", "item_id"],
                condition=models.Q(submitted_at__isnull=True),
                name="assessments_one_open_attempt",
            ),
        ]
        ordering = ["started_at", "id"]

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def __str__(self) -> str:
        return f"{self.user} attempt {self.number} at {self.course_id}/{self.item_id}"


class AttemptAnswer(models.Model):
    """The saved answer to one question of an attempt (replaced while the attempt is open).

    ``correct`` stays null until the attempt is submitted: nothing is graded earlier.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=100)
    given = models.JSONField()
    correct = models.BooleanField(null=True, blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="assessments_one_answer_per_question"
            )
        ]


class QuizReveal(models.Model):
    """The learner asked to be shown a quiz question's answer ("Show me") before solving it.

    Kept apart from ``QuizAnswer``: asking is not answering, and the question still counts
    as done only once the learner picks the right answer themselves.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_reveals"
    )
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    question_id = models.CharField(max_length=100)
    revealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_id", "item_id", "question_id"],
                                    name="assessments_reveal_once")
        ]
