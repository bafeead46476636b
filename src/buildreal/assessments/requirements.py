"""What a learner must pass before a test or exam opens (the pack's ``requires`` list).

The pack states the rule; this module is where the server enforces it. "Passed" means
the item's completion record exists: a quiz completed, a test or exam attempt that
reached its pass mark (``award_completion`` writes it only then).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from buildreal.packs.model import Course, Item
from buildreal.progress.services import completed_item_ids


@dataclass(frozen=True)
class Requirement:
    item_id: str
    title: str
    passed: bool


def requirements(user: AbstractBaseUser, course: Course, item: Item) -> list[Requirement]:
    """Each required item, in the pack's order, with whether this learner has passed it."""
    needed = item.assessment.requires if item.assessment else ()
    if not needed:
        return []
    done = completed_item_ids(user, course.id) if user.is_authenticated else set()
    rows = []
    for item_id in needed:
        required = course.item(item_id)
        rows.append(Requirement(item_id, required.title if required else item_id,
                                item_id in done))
    return rows


def missing_message(missing: list[Requirement], item: Item) -> str:
    """The refusal a learner reads: what is left, by title."""
    names = "; ".join(r.title for r in missing)
    return (f"This {item.kind} opens once you have passed: {names}. "
            f"{len(missing)} still to pass.")
