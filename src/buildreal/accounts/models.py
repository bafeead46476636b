from __future__ import annotations

from django.db import models


class RateEvent(models.Model):
    """One counted event of a rate limit (see throttle.py): a sign-up from an address,
    a lab turn or restart of a learner, an LLM call made for a learner.

    Stored in the database, not a per-process cache, so that several app servers behind
    a proxy count the same events. Log-in failures are counted by django-axes.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]


class Handle(models.Model):
    """A username's skeleton (see usernames.py), unique, so that two accounts cannot look
    alike; kept in step with the user by a signal, whatever created the account."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="handle")
    key = models.CharField(max_length=600, unique=True, null=True)


class VerifiedEmail(models.Model):
    """The address a learner proved they read, by opening the link mailed to it.

    Kept apart from ``User.email`` (the address they typed): the account's address counts
    as verified only while the two agree, so changing it needs a new proof, and password
    reset mail goes only to verified addresses.
    """

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE,
                                related_name="verified_email")
    email = models.EmailField()
    verified_at = models.DateTimeField(auto_now=True)
