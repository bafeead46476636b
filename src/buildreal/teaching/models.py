from __future__ import annotations

from django.conf import settings
from django.db import models


class Cohort(models.Model):
    """A class run by one instructor: who may see which learners' work."""

    name = models.CharField(max_length=200)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohorts_taught"
    )
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cohorts", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
