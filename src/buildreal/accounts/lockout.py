"""Log-in lockouts, counted by django-axes per account and real client address.

axes refuses a log-in before the password is checked once an account has
``AXES_FAILURE_LIMIT`` failures from one address within the cool-off; the account stays
usable from every other address, so failures from an attacker never lock its owner out.
On top, counted from axes' own records: one address trying many usernames (password
spraying) is refused after ``AXES_ADDRESS_FAILURE_LIMIT`` failures in all, and one account
guessed at from many addresses is refused after ``AXES_ACCOUNT_FAILURE_LIMIT`` failures in
all, except from addresses that have logged in to it before (axes' access log).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The username as counted: NFKC-folded and lower-cased, so "Carol" and "ｃａｒｏｌ"
    share one count (usernames are unique in that form too)."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return unicodedata.normalize("NFKC", str(raw)).casefold()[:150]


def _minutes_left(last: Any) -> int:
    seconds = (last + settings.AXES_COOLOFF_TIME - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds / 60))


def address_minutes_locked(address: str) -> int:
    """0 if this address may try to log in; else minutes until its failures expire."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < settings.AXES_ADDRESS_FAILURE_LIMIT:
        return 0
    return _minutes_left(totals["last"])


def account_minutes_locked(address: str, username: str) -> int:
    """0 unless the account has ``AXES_ACCOUNT_FAILURE_LIMIT`` failures from all
    addresses together (a guess spread over many addresses) and ``address`` has never
    logged in to it; else minutes until those failures expire. An address that has
    proved the password before keeps working, so the owner is not locked out."""
    name = unicodedata.normalize("NFKC", username).casefold()[:150]
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    totals = AccessAttempt.objects.filter(username=name, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) < settings.AXES_ACCOUNT_FAILURE_LIMIT:
        return 0
    if AccessLog.objects.filter(username__iexact=name, ip_address=address).exists():
        return 0
    return _minutes_left(totals["last"])


def _pair_minutes_left(request: HttpRequest, username: str) -> int:
    from buildreal.accounts.clientip import client_ip

    last = AccessAttempt.objects.filter(
        ip_address=client_ip(request), username=username_of(request, {"username": username})
    ).aggregate(last=Max("attempt_time"))["last"]
    return _minutes_left(last) if last else math.ceil(
        settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def spread_lockout_message(minutes: int) -> str:
    return (f"This account is locked for {minutes} minute{'s' if minutes != 1 else ''} after "
            "many failed log-ins from several addresses. It stays open from addresses it "
            "has logged in from before.")


def lockout_message(minutes: int, *, account: bool) -> str:
    who = "for this account from your address" if account else "from your address"
    return (f"Too many failed log-ins {who}. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}.")


def lockout_response(request: HttpRequest, *args: Any) -> HttpResponse:
    """axes' lockout page: the log-in form again, with the reason and the wait (429)."""
    from buildreal.accounts.views import login_page

    username = request.POST.get("username", "")
    message = lockout_message(_pair_minutes_left(request, username), account=True)
    return login_page(request, username, lockout=message, status=429)
