"""The course packs the site serves, loaded once per process and held in memory.

Packs are the source of truth for content; nothing here touches the database. The
catalog is loaded on first use (or eagerly by ``require_catalog`` at server start) and
cached, so a page view never reads pack files. Tests that point the site at another
folder call ``reset_catalog``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from buildreal.catalog.rendering import clear_cache as clear_rendering_cache
from buildreal.packs.cli import format_problem
from buildreal.packs.loader import PackError, load_catalog
from buildreal.packs.model import Catalog, Course, Item, Module

_lock = threading.Lock()
_catalog: Catalog | None = None


def courses_dir() -> Path:
    return Path(settings.BUILDREAL_COURSES_DIR)


def get_catalog() -> Catalog:
    """The loaded catalog; raises ``PackError`` if a pack is bad."""
    global _catalog
    if _catalog is None:
        with _lock:
            if _catalog is None:
                _catalog = load_catalog(courses_dir())
    return _catalog


def reset_catalog() -> None:
    global _catalog
    with _lock:
        _catalog = None
    clear_rendering_cache()


def pack_problems() -> list[str]:
    """Every problem with the configured packs as ``file:line: message`` lines."""
    try:
        get_catalog()
    except PackError as exc:
        return [format_problem(problem) for problem in exc.problems]
    return []


def require_catalog() -> Catalog:
    """Load the packs now, or stop the server with every problem listed."""
    problems = pack_problems()
    if problems:
        raise ImproperlyConfigured(
            f"the course packs in {courses_dir()} have problems; fix them and start again "
            "(`buildreal check-pack PATH` shows the same list):\n" + "\n".join(problems)
        )
    return get_catalog()


def get_course_or_404(course_id: str) -> Course:
    course = get_catalog().courses.get(course_id)
    if course is None:
        raise Http404(f"No course {course_id!r}.")
    return course


def get_item_or_404(course: Course, item_id: str) -> Item:
    item = course.item(item_id)
    if item is None:
        raise Http404(f"No item {item_id!r} in {course.id}.")
    return item


def module_of(course: Course, item: Item) -> Module:
    for module in course.modules:
        if any(candidate.id == item.id for candidate in module.items):
            return module
    raise LookupError(f"{item.id} is in no module of {course.id}")


def neighbours(course: Course, item: Item) -> tuple[Item | None, Item | None]:
    """The items before and after ``item`` in course order (across modules)."""
    items = course.items()
    index = next(i for i, candidate in enumerate(items) if candidate.id == item.id)
    previous = items[index - 1] if index > 0 else None
    following = items[index + 1] if index + 1 < len(items) else None
    return previous, following
