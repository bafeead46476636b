"""The first instructor account, made when ``buildreal serve`` starts on an empty site."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

INSTRUCTOR_USERNAME = "instructor"


def ensure_instructor() -> tuple[str, str] | None:
    """Create the instructor if no staff account exists yet.

    Returns (username, password) when it created one, so the caller can print the
    password exactly once; only its Argon2 hash is stored. Returns None otherwise.
    """
    users = get_user_model()
    if users.objects.filter(is_staff=True).exists():
        return None
    password = secrets.token_urlsafe(15)
    users.objects.create_user(
        username=INSTRUCTOR_USERNAME, password=password, is_staff=True, is_superuser=True
    )
    return INSTRUCTOR_USERNAME, password
