"""A course outline with the learner's state on every item (for outline and dashboard)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from buildreal.assessments.attempts import expire_if_due
from buildreal.assessments.models import Attempt, QuizAnswer
from buildreal.packs.model import Course, Item, Module
from buildreal.progress.services import completed_item_ids

STATE_LABELS = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "done": "Done",
    "passed": "Passed",
    "failed": "Failed",
}
GRADED_KINDS = ("test", "exam")


@dataclass(frozen=True)
class ItemRow:
    item: Item
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def finished(self) -> bool:
        return self.state in ("done", "passed")


@dataclass(frozen=True)
class ModuleRow:
    module: Module
    rows: tuple[ItemRow, ...]

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.finished)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def item_states(user: AbstractBaseUser, course: Course) -> dict[str, str]:
    """State of every item of ``course`` for ``user`` in three queries."""
    states = {item.id: "not-started" for item in course.items()}
    if not user.is_authenticated:
        return states
    completed = completed_item_ids(user, course.id)
    started = set(
        QuizAnswer.objects.filter(user=user, course_id=course.id)
        # order_by() drops the model's default ordering, which DISTINCT would otherwise
        # include, returning every stored answer instead of one row per item.
        .order_by().values_list("item_id", flat=True).distinct()
    )
    attempts: dict[str, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(user=user, course_id=course.id):
        item = course.item(attempt.item_id)
        if item is not None and item.kind in GRADED_KINDS:
            expire_if_due(attempt, course, item)  # time ran out while away: submit now
        attempts.setdefault(attempt.item_id, []).append(attempt)
    for item in course.items():
        tried = attempts.get(item.id, [])
        if item.kind in GRADED_KINDS and tried:
            if any(attempt.passed for attempt in tried):
                states[item.id] = "passed"
            elif any(not attempt.is_submitted for attempt in tried):
                states[item.id] = "in-progress"
            else:
                states[item.id] = "failed"
        elif item.id in completed:
            states[item.id] = "done"
        elif item.id in started:
            states[item.id] = "in-progress"
    return states


def outline(user: AbstractBaseUser, course: Course) -> list[ModuleRow]:
    states = item_states(user, course)
    return [
        ModuleRow(module, tuple(ItemRow(item, states[item.id]) for item in module.items))
        for module in course.modules
    ]


def next_item(rows: list[ModuleRow]) -> Item | None:
    """The first item not yet finished, in course order: where "Continue" leads.

    None once every item is finished (the course is done) or the course is empty."""
    for module_row in rows:
        for row in module_row.rows:
            if not row.finished:
                return row.item
    return None


def path_items(course: Course) -> list[Item]:
    """The course's learning paths, wherever their module puts them: the course page
    lists them first so a newcomer sees the suggested routes before the full outline."""
    return [item for item in course.items() if item.kind == "path"]
