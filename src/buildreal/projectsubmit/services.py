"""Judge a toolkit submission against the project page it names. No views here.

The server trusts none of the payload's summaries: it checks that the DoD items are the
project's own (same wording, same order), and decides ``passed`` itself from the verdict
of every check under every item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from buildreal.catalog.content import get_catalog
from buildreal.packs.model import Course, Item
from buildreal.progress.services import award_completion
from buildreal.projectsubmit.models import ProjectSubmission

MAX_FILES = 2000


class SubmissionError(ValueError):
    """The payload cannot be accepted; the message says what to fix."""


@dataclass(frozen=True)
class Outcome:
    submission: ProjectSubmission
    course: Course
    item: Item
    completed_now: bool  # this submission completed the project and awarded its XP


def find_project(project_id: str) -> tuple[Course, Item]:
    for course in get_catalog().courses.values():
        for item in course.items():
            if item.kind == "project" and item.project.project_id == project_id:
                return course, item
    raise SubmissionError(f"No project {project_id!r} on this site.")


def _items(payload: dict[str, Any]) -> list[dict[str, Any]]:
    items = payload.get("definition_of_done")
    if not isinstance(items, list) or not items:
        raise SubmissionError("The submission has no 'definition_of_done' list.")
    for entry in items:
        if not isinstance(entry, dict) or not isinstance(entry.get("item"), str) \
                or not isinstance(entry.get("checks"), list):
            raise SubmissionError("Each DoD entry needs an 'item' name and a 'checks' list.")
        for check in entry["checks"]:
            if not isinstance(check, dict) or not isinstance(check.get("passed"), bool):
                raise SubmissionError("Each check needs a true/false 'passed'.")
    return items


def all_pass(items: list[dict[str, Any]]) -> bool:
    """Every DoD item judged by at least one check, and every check passed."""
    return all(entry["checks"] and all(c["passed"] for c in entry["checks"]) for entry in items)


def accept(user: AbstractBaseUser, payload: Any) -> Outcome:
    """Store ``payload`` as ``user``'s submission; complete the project if it passes.
    Raises ``SubmissionError`` when the payload is malformed or not for this project."""
    if not isinstance(payload, dict):
        raise SubmissionError("The submission must be a JSON object.")
    course, item = find_project(str(payload.get("project", "")))
    items = _items(payload)
    expected = list(item.project.definition_of_done)
    sent = [entry["item"] for entry in items]
    if sent != expected:
        raise SubmissionError(
            f"The submission's Definition of Done does not match {item.title!r} on this "
            f"site ({len(sent)} items sent, {len(expected)} expected). Update the toolkit "
            "(pip install -U buildreal) and check again.")
    files = payload.get("files", {})
    if not isinstance(files, dict) or len(files) > MAX_FILES:
        raise SubmissionError("'files' must map file names to SHA-256 hashes.")
    try:
        seconds = float(payload.get("seconds", 0.0))
    except (TypeError, ValueError):
        raise SubmissionError("'seconds' must be a number.") from None
    passed = all_pass(items)
    stored = ProjectSubmission.objects.create(
        user=user, course_id=course.id, item_id=item.id, project_id=item.project.project_id,
        toolkit_version=str(payload.get("toolkit_version", ""))[:50], seconds=seconds,
        passed=passed, payload=payload)
    completed = passed and award_completion(user, course, item)
    return Outcome(stored, course, item, completed)


def latest_for(user: AbstractBaseUser, course: Course, item: Item) -> ProjectSubmission | None:
    if not user.is_authenticated:
        return None
    return ProjectSubmission.objects.filter(user=user, course_id=course.id,
                                            item_id=item.id).first()
