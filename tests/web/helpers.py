"""Read the pages the way a browser would: find an option's form value by its text."""

from __future__ import annotations

import html
import re

from buildreal.packs.model import Course, Question


def section(page: str, element_id: str, tag: str = "section") -> str:
    """The HTML of the element with ``id=element_id`` up to the next ``<tag``."""
    start = page.index(f'id="{element_id}"')
    end = page.find(f"<{tag}", start + 1)
    return page[start:end if end != -1 else len(page)]


def option_value(fragment: str, text: str) -> str:
    """The form value (o1, o2...) of the option whose label is ``text``."""
    match = re.search(r'value="(o\d+)"[^>]*>\s*<span>' + re.escape(html.escape(text, quote=False))
                      + "</span>", fragment)
    assert match, f"option {text!r} not on the page"
    return match.group(1)


def question(course: Course, item_id: str, question_id: str) -> Question:
    item = course.item(item_id)
    return next(q for q in item.assessment.questions if q.id == question_id)


def option_texts(course: Course, item_id: str, question_id: str, *, correct: bool) -> list[str]:
    return [o.text for o in question(course, item_id, question_id).options
            if o.correct == correct]
