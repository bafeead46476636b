"""Awarding XP and reading a learner's completions (no views, no templates)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum

from buildreal.packs.model import Course, Item
from buildreal.progress.models import Completion


def award_completion(user: AbstractBaseUser, course: Course, item: Item,
                     xp: int | None = None) -> bool:
    """Record that ``user`` finished ``item``; True if this call awarded the XP.

    ``xp`` overrides the item's XP where the work earns part of it (a quiz pays for
    first-try correct answers).

    Safe to call any number of times: the second call finds the unique row and returns
    False without adding XP.
    """
    try:
        with transaction.atomic():
            Completion.objects.create(
                user=user,
                course_id=course.id,
                item_id=item.id,
                content_hash=item.content_hash,
                xp=item.xp if xp is None else xp,
            )
    except IntegrityError:
        return False
    return True


def completed_item_ids(user: AbstractBaseUser, course_id: str) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(
        Completion.objects.filter(user=user, course_id=course_id).values_list(
            "item_id", flat=True
        )
    )


def is_completed(user: AbstractBaseUser, course_id: str, item_id: str) -> bool:
    return user.is_authenticated and Completion.objects.filter(
        user=user, course_id=course_id, item_id=item_id
    ).exists()


def total_xp(user: AbstractBaseUser) -> int:
    if not user.is_authenticated:
        return 0
    return Completion.objects.filter(user=user).aggregate(total=Sum("xp"))["total"] or 0
