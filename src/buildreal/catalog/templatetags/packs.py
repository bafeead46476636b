"""``{% markdown course text %}`` and ``{% inline course text %}`` for pack content."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from buildreal.catalog import rendering
from buildreal.packs.model import Course

register = template.Library()


@register.simple_tag
def markdown(course: Course, text: str) -> SafeString:
    return rendering.markdown(course.id, text or "")


@register.simple_tag
def inline(course: Course, text: str) -> SafeString:
    return rendering.inline(course.id, text or "")


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"
