"""Pack Markdown to sanitized HTML, with the site's URLs for links and figures.

The pure renderer (``buildreal.packs.render``) knows nothing of URLs; this module hands
it three small functions that turn ``item:``, ``glossary:`` and figure references into
this site's addresses. Output is cached per (course, source text): packs never change
while the process runs, and rendering is the costliest part of a lesson page.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from buildreal.packs.render import render_inline, render_markdown

GLOSSARY_KIND = "glossary"


def item_url(course_id: str, item_id: str) -> str:
    return reverse("catalog:item", args=(course_id, item_id))


def glossary_anchor(term_id: str) -> str:
    return f"term-{term_id}"


def _urls(course_id: str) -> dict:
    from buildreal.catalog.content import get_catalog

    course = get_catalog().courses[course_id]
    glossary = next((item for item in course.items() if item.kind == GLOSSARY_KIND), None)

    def link_for(item_id: str) -> str:
        return item_url(course_id, item_id)  # the renderer appends any #anchor

    def figure_url(name: str) -> str:
        return reverse("catalog:figure", args=(course_id, name))

    def glossary_url(term_id: str) -> str:
        base = item_url(course_id, glossary.id) if glossary else ""
        return f"{base}#{glossary_anchor(term_id)}"

    return {"link_for": link_for, "figure_url": figure_url, "glossary_url": glossary_url}


@lru_cache(maxsize=8192)
def markdown(course_id: str, text: str) -> SafeString:
    """Block Markdown (lesson bodies, explanations) as sanitized HTML."""
    # The renderer sanitizes with nh3 before returning, so marking it safe is sound.
    return mark_safe(render_markdown(text, **_urls(course_id)))  # noqa: S308


@lru_cache(maxsize=8192)
def inline(course_id: str, text: str) -> SafeString:
    """One line of Markdown (option text, titles) without a wrapping paragraph."""
    return mark_safe(render_inline(text, **_urls(course_id)))  # noqa: S308


def clear_cache() -> None:
    markdown.cache_clear()
    inline.cache_clear()
