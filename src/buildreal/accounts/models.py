from __future__ import annotations

from django.db import models


class LoginFailure(models.Model):
    """One failed log-in, kept for the rate limit window (see ratelimit.py).

    Stored in the database, not a per-process cache, so that several app servers behind
    a proxy count the same failures.
    """

    ip = models.GenericIPAddressField()
    username = models.CharField(max_length=150)  # as typed, lower-cased
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "username", "at"])]
