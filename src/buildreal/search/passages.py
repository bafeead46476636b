"""The searchable passages of a catalog: every paragraph of every prose body, and every
glossary entry, each with the anchor that takes a reader to it.

Pure Python (no Django): a paragraph's anchor is the id of the nearest heading above it,
which is exactly the id the renderer puts on that heading (both parse with the pack's
parser), or none at the top of a page; a glossary entry's anchor is ``term-<id>``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from buildreal.packs.markdown import PREDICT, shared_parser, split_callout_info
from buildreal.packs.model import Catalog, Course, Item

MIN_WORDS = 4  # "See also:" lines and lone figures are not worth a result
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Passage:
    course_id: str
    item_id: str
    item_title: str
    anchor: str  # "" for the top of the page
    heading: str  # the section's heading ("" at the top of the page)
    text: str  # plain text: links keep their words, emphasis marks dropped
    glossary: bool = False

    @property
    def key(self) -> str:
        """A content hash: the vector cache is keyed by it, so unchanged text is never
        encoded twice."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:32]


def plain(markdown_inline: str) -> str:
    """One paragraph's Markdown as the words a reader sees."""
    text = _LINK.sub(r"\1", markdown_inline)
    text = _MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def _body_passages(course: Course, item: Item) -> list[Passage]:
    tokens = shared_parser().parse(item.body)
    anchor, heading, found = "", "", []
    predict_level: int | None = None  # inside a ``::: predict`` opened at this level
    for index, token in enumerate(tokens):
        # A predict's explanation is its answer, shown only once the learner has typed a
        # prediction (exercises/content.py): a search result must not show it earlier.
        if predict_level is not None:
            if token.type == "container_callout_close" and token.level == predict_level:
                predict_level = None
            continue
        if token.type == "container_callout_open" \
                and split_callout_info(token.info)[0] == PREDICT:
            predict_level = token.level
        elif token.type == "heading_open":
            anchor = str(token.attrs.get("id", "") or "")
            heading = plain(tokens[index + 1].content)
        elif (token.type == "inline" and index > 0
              and tokens[index - 1].type == "paragraph_open"):
            text = plain(token.content)
            if len(text.split()) >= MIN_WORDS:
                found.append(Passage(course.id, item.id, item.title, anchor, heading, text))
    return found


def _glossary_passages(course: Course, item: Item) -> list[Passage]:
    return [Passage(course.id, item.id, item.title, f"term-{term.id}", term.term,
                    f"{term.term}: {plain(term.definition)}", glossary=True)
            for term in item.terms]


def passages_of(catalog: Catalog) -> list[Passage]:
    """Every passage, in a fixed order (courses by id, items in course order)."""
    found: list[Passage] = []
    for course_id in sorted(catalog.courses):
        course = catalog.courses[course_id]
        for item in course.items():
            if item.terms:
                found += _glossary_passages(course, item)
            if item.body:
                found += _body_passages(course, item)
    return found


def digest(passages: list[Passage]) -> str:
    """One hash of the whole list: the full-text table is rebuilt only when it changes."""
    h = hashlib.sha256()
    for p in passages:
        h.update("\x1f".join((p.course_id, p.item_id, p.anchor, p.text)).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()[:32]
