"""Rate limits kept in the database, so that every app server counts the same events.

``hit(scope, key, limit, window)`` records one event unless ``limit`` events of that
scope and key already fall inside the window; it returns 0 when the event is allowed,
else the seconds until the oldest counted one leaves the window. Used for sign-ups per
address, lab turns and restarts per learner, and the per-learner LLM budget.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from buildreal.accounts.models import RateEvent


def hit(scope: str, key: str, limit: int, window: timedelta) -> int:
    now = timezone.now()
    since = now - window
    with transaction.atomic():
        recent = RateEvent.objects.filter(scope=scope, key=key, at__gte=since)
        if recent.count() >= limit:
            oldest = recent.order_by("-at").values_list("at", flat=True)[limit - 1]
            return max(1, math.ceil((oldest + window - now).total_seconds()))
        RateEvent.objects.create(scope=scope, key=key[:200])
        # Forget this key's events that can no longer count, so the table stays small.
        RateEvent.objects.filter(scope=scope, key=key, at__lt=since).delete()
    return 0


def wait_text(seconds: int) -> str:
    """``seconds`` as a learner reads it: "40 seconds", "3 minutes", "2 hours"."""
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 90 * 60:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minutes"
    return f"{math.ceil(seconds / 3600)} hours"
