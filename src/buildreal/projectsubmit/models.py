from __future__ import annotations

from django.conf import settings
from django.db import models


class ToolkitToken(models.Model):
    """A learner's token for ``buildreal project check --submit``. Only its SHA-256 is
    kept: the token itself is shown once, when it is made, and cannot be read back."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolkit_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # the first characters, to tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)


class ProjectSubmission(models.Model):
    """One checked result sent by the toolkit, kept as received (the evidence an
    instructor reviews); ``passed`` is decided on the server from the DoD verdicts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_submissions"
    )
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    project_id = models.CharField(max_length=100)
    toolkit_version = models.CharField(max_length=50)
    seconds = models.FloatField(default=0.0)
    passed = models.BooleanField()
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["user", "course_id", "item_id"])]

    @property
    def items(self) -> list[dict]:
        return list(self.payload.get("definition_of_done", []))

    @property
    def files(self) -> dict[str, str]:
        return dict(self.payload.get("files", {}))
