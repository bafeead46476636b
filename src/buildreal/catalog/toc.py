"""A long page's table of contents, and a link on each heading to itself.

Works on the renderer's sanitized HTML, whose headings already carry ids (the targets of
``item:<id>#anchor`` links), so the contents and the search results can point at
sections. Only ``h2`` and ``h3`` are listed: deeper levels make the list as long as the
page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
MIN_ENTRIES = 3  # a page with fewer sections needs no contents


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class ReadingPage:
    body: SafeString
    toc: tuple[TocEntry, ...]


def heading_text(fragment: str) -> str:
    """A heading's visible text (tags dropped, entities decoded) for the contents list."""
    return html.unescape(_TAG.sub("", fragment)).strip()


@lru_cache(maxsize=1024)
def reading_page(rendered: str) -> ReadingPage:
    """``rendered`` with an anchor link on every h2/h3, and its contents (empty when the
    page has fewer than ``MIN_ENTRIES`` sections)."""
    entries: list[TocEntry] = []

    def add_anchor(match: re.Match[str]) -> str:
        level, anchor, inner = match.group(1), match.group(2), match.group(3)
        text = heading_text(inner)
        entries.append(TocEntry(int(level), anchor, text))
        label = html.escape(f"Link to the section {text}", quote=True)
        return (f'<h{level} id="{anchor}">{inner} <a class="heading-anchor" '
                f'href="#{anchor}" aria-label="{label}">#</a></h{level}>')

    body = _HEADING.sub(add_anchor, rendered)
    toc = tuple(entries) if len(entries) >= MIN_ENTRIES else ()
    # The input was sanitized by the renderer; the anchors added use its own escaped ids.
    return ReadingPage(mark_safe(body), toc)  # noqa: S308
