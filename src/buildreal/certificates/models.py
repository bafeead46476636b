from __future__ import annotations

from django.conf import settings
from django.db import models


class CourseCompletion(models.Model):
    """A learner completed a course: every test and exam of it passed.

    ``code`` is a random, unguessable token (``secrets.token_urlsafe``), stored, and the
    only key of the public verification page: the page shows ``learner_name``,
    ``course_title`` and ``completed_at`` and nothing else about the learner. Name and
    title are copied when the record is made, so a later rename of either does not
    rewrite what was certified.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course_id = models.CharField(max_length=100)
    course_title = models.CharField(max_length=300)
    learner_name = models.CharField(max_length=300)
    code = models.CharField(max_length=64, unique=True)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_id"],
                                    name="certificates_one_completion_per_course")
        ]
        ordering = ["-completed_at", "id"]

    def __str__(self) -> str:
        return f"{self.learner_name} completed {self.course_id}"
