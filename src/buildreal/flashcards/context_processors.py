"""The number of cards due today, for the page header on every page."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from buildreal.flashcards.services import due_count


class ReviewDue:
    """Counted only when a template reads ``count`` (and then once per request)."""

    def __init__(self, user: AbstractBaseUser) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return due_count(self.user)


def review_due(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_due": ReviewDue(user)}
