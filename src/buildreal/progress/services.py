"""Awarding XP and reading a learner's completions (no views, no templates)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum

from buildreal.packs.model import Course, Item
from buildreal.progress.models import Completion
from buildreal.web.hotsql import Select


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


# Every item page asks; the SQL is built once (web/hotsql.py).
_DONE = Select(Completion, ["id"], "{user} = %s AND {course_id} = %s AND {item_id} = %s",
               ["user", "course_id", "item_id"], suffix="LIMIT 1")


def is_completed(user: AbstractBaseUser, course_id: str, item_id: str) -> bool:
    return user.is_authenticated and bool(_DONE.rows(user.pk, course_id, item_id))


def total_xp(user: AbstractBaseUser) -> int:
    if not user.is_authenticated:
        return 0
    return Completion.objects.filter(user=user).aggregate(total=Sum("xp"))["total"] or 0
