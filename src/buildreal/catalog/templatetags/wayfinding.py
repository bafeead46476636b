"""Template tags for wayfinding: Continue, learning paths, contents, course counts."""

from __future__ import annotations

from django import template

from buildreal.catalog import facts, toc
from buildreal.catalog.facts import CourseFacts
from buildreal.catalog.outline import ModuleRow, next_item, path_items
from buildreal.catalog.toc import ReadingPage
from buildreal.packs.model import Course, Item

register = template.Library()


@register.simple_tag
def continue_item(rows: list[ModuleRow]) -> Item | None:
    return next_item(rows)


@register.simple_tag
def learning_paths(course: Course) -> list[Item]:
    return path_items(course)


@register.simple_tag
def reading(body: str) -> ReadingPage:
    """A rendered (sanitized) prose body with heading anchors, plus its contents."""
    return toc.reading_page(str(body))


@register.simple_tag
def course_facts(course: Course) -> CourseFacts:
    return facts.course_facts(course)
