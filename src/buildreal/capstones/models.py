from __future__ import annotations

from django.conf import settings
from django.db import models


class Brief(models.Model):
    """One learner's capstone brief and their place in the exchange.

    ``draft`` is what the editor holds (autosaved): the first version until it is
    submitted, then the revision being written. ``first_version`` and ``revision`` are
    frozen when submitted. Partners point at each other (``partner``); ``lab_partner``
    means the lab partner stands in (no peer came within the wait, or the wait was ended).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capstone_briefs"
    )
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    content_hash = models.CharField(max_length=64)
    draft = models.TextField(blank=True, default="")
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    first_version = models.TextField(blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    revision = models.TextField(blank=True, default="")
    revised_at = models.DateTimeField(null=True, blank=True)
    pseudonym = models.CharField(max_length=60, blank=True, default="")
    partner = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paired_at = models.DateTimeField(null=True, blank=True)
    lab_partner = models.BooleanField(default=False)
    wait_ended = models.BooleanField(default=False)  # an instructor ended the wait
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_id", "item_id"], name="capstones_one_brief"
            )
        ]
        indexes = [models.Index(fields=["course_id", "item_id", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.user} brief for {self.course_id}/{self.item_id}"


class Objection(models.Model):
    """An objection to a brief, naming the part it disputes. ``author`` is the peer who
    wrote it, or null when the lab partner raised it (then ``concept_id`` says from which
    rubric concept)."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="objections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="capstone_objections",
    )
    concept_id = models.CharField(max_length=100, blank=True, default="")
    part = models.CharField(max_length=200)
    text = models.TextField()
    hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Response(models.Model):
    """The brief's author answering one objection (once)."""

    objection = models.OneToOneField(Objection, on_delete=models.CASCADE,
                                     related_name="response")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)


class Grade(models.Model):
    """An instructor's grade of a brief against the capstone's rubric."""

    brief = models.OneToOneField(Brief, on_delete=models.CASCADE, related_name="grade")
    grader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    scores = models.JSONField()  # {concept id: 0 missing, 1 partly, 2 met}
    comment = models.TextField(blank=True, default="")
    graded_at = models.DateTimeField(auto_now=True)
