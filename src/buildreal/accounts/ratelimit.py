"""Log-in rate limiting: after N failures for one IP and username within the window,
further tries are refused (before the password is even checked) until the window passes.
A second, looser limit per IP alone slows one address spraying many usernames."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from buildreal.accounts.models import LoginFailure

IP_FACTOR = 4  # the per-IP limit is this many times the per-account one


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy
    # rewrites it, and behind such a proxy the per-username limit still holds.
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _window() -> timedelta:
    return timedelta(seconds=settings.BUILDREAL_LOGIN_WINDOW_SECONDS)


def minutes_locked(ip: str, username: str) -> int:
    """0 if a log-in may be tried now; else the minutes until the oldest counted failure
    leaves the window."""
    since = timezone.now() - _window()
    limit = settings.BUILDREAL_LOGIN_MAX_FAILURES
    recent = LoginFailure.objects.filter(ip=ip, at__gte=since)
    for failures, cap in ((recent.filter(username=username.lower()), limit),
                          (recent, limit * IP_FACTOR)):
        if failures.count() >= cap:
            oldest = failures.order_by("-at").values_list("at", flat=True)[cap - 1]
            seconds = (oldest + _window() - timezone.now()).total_seconds()
            return max(1, math.ceil(seconds / 60))
    return 0


def record_failure(ip: str, username: str) -> None:
    LoginFailure.objects.create(ip=ip, username=username.lower()[:150])
    # Forget failures that can no longer count, so the table stays small.
    LoginFailure.objects.filter(at__lt=timezone.now() - 2 * _window()).delete()


def clear(ip: str, username: str) -> None:
    LoginFailure.objects.filter(ip=ip, username=username.lower()).delete()
