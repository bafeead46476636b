"""Toolkit tokens: made with ``secrets``, stored as SHA-256, looked up by hash."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from buildreal.projectsubmit.models import ToolkitToken

PREFIX = "brt_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(user: AbstractBaseUser) -> str:
    """A new token for ``user`` (any earlier one stops working). Returned once."""
    token = PREFIX + secrets.token_urlsafe(32)
    ToolkitToken.objects.update_or_create(
        user=user, defaults={"token_hash": digest(token), "prefix": token[:10],
                             "created_at": timezone.now(), "last_used_at": None})
    return token


def revoke(user: AbstractBaseUser) -> bool:
    deleted, _ = ToolkitToken.objects.filter(user=user).delete()
    return bool(deleted)


def user_for(token: str) -> AbstractBaseUser | None:
    """The active learner holding ``token``, or None (unknown, revoked or inactive)."""
    if not token.startswith(PREFIX):
        return None
    found = ToolkitToken.objects.select_related("user").filter(token_hash=digest(token)).first()
    if found is None or not found.user.is_active:
        return None
    ToolkitToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
