from __future__ import annotations

from django.conf import settings
from django.db import models


class LabSession(models.Model):
    """One attempt at a lab: the transcript and the state the engine derived from it.

    The state is stored for display and for the instructor's list, never read back as
    input: every reply re-derives it from the transcript. Restarting creates a new row
    and keeps the old one, so an instructor can read every attempt.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_sessions"
    )
    course_id = models.CharField(max_length=100)
    lab_id = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)  # the lab file as it was at the start
    seed = models.PositiveIntegerField()  # the partner's wording varies per session
    transcript = models.JSONField(default=list)  # [{"role": ..., "text": ...}, ...]
    state = models.JSONField(default=dict)
    done = models.BooleanField(default=False)
    completed = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "course_id", "lab_id", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} on {self.course_id}/{self.lab_id} ({self.created_at:%Y-%m-%d})"

    @property
    def learner_turns(self) -> int:
        return sum(1 for turn in self.transcript if turn.get("role") == "learner")
