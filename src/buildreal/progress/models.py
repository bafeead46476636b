from __future__ import annotations

from django.conf import settings
from django.db import models


class Completion(models.Model):
    """A learner finished an item and got its XP. At most one per learner and item.

    The unique constraint, not a check in Python, is what makes "awarded once" hold when
    two requests race (a double click, two tabs).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions"
    )
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    xp = models.PositiveIntegerField()
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_id", "item_id"], name="progress_completion_once"
            )
        ]
        indexes = [models.Index(fields=["user", "course_id"])]

    def __str__(self) -> str:
        return f"{self.user} completed {self.course_id}/{self.item_id} (+{self.xp} XP)"
