"""The one Markdown dialect of course packs, shared by the validator and the renderer.

Both sides parse with :func:`make_parser`, so a heading slug the validator accepts for an
``item:<id>#anchor`` link is exactly the ``id`` the renderer puts on that heading, and a
callout the renderer shows is one the validator has checked.

The dialect: CommonMark with tables, strikethrough and definition lists; ``$...$`` and
``$$...$$`` math (pandoc rules: no space inside the dollars, no digit after the closing
one, so "$5 and $10" stays text); ``:::`` callout containers; heading ids on every level.
Raw HTML is off: an author's ``<script>`` is shown as text, never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

CALLOUT_KINDS = ("key-term", "peers-get-wrong", "takeaway", "limits", "note", "reveal",
                 "predict", "widget")
# Callouts whose first word must be followed by text: the term, the button label.
CALLOUT_NEEDS_TEXT = {"key-term": "the term (::: key-term Overfitting)",
                      "reveal": "a label (::: reveal Show the answer)",
                      "predict": "the question (::: predict What shape does it print?)",
                      "widget": "a widget name (::: widget gradient-descent)"}
# ``::: predict`` is an exercise, not a callout: one Python block, then the explanation.
PREDICT = "predict"
# ``::: widget NAME``: one of the site's interactive figures, the body is its caption.
WIDGET = "widget"
WIDGETS = ("gradient-descent", "tiny-network")
# Fence flags: ``python exec`` shows its output under the code, ``python no-run`` is
# never run.
EXEC = "exec"
NO_RUN = "no-run"
PYTHON_LANGUAGES = ("python", "py", "python3")
CALLOUT_TITLES = {
    "key-term": "Key term",
    "peers-get-wrong": "What peers get wrong",
    "takeaway": "Practical takeaway",
    "limits": "Honest about limits",
    "note": "Note",
    "reveal": "Reveal",
    "predict": "Predict, then run",
    "widget": "Interactive figure",
}

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CONTAINER_RE = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")


def _any_callout(params: str, *args: object) -> bool:
    # One container type for all callouts: the kind is the first word of the info.
    return bool(params.strip())


def make_parser() -> MarkdownIt:
    """A fresh parser for the pack dialect (renderer rules are added by the renderer)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    container_plugin(md, "callout", validate=_any_callout)
    deflist_plugin(md)
    anchors_plugin(md, min_level=1, max_level=6)
    return md


@lru_cache(maxsize=1)
def shared_parser() -> MarkdownIt:
    """A parser for read-only uses (token streams); never add render rules to it."""
    return make_parser()


def split_callout_info(info: str) -> tuple[str, str]:
    """``"key-term Overfitting"`` -> ``("key-term", "Overfitting")``."""
    parts = info.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def fence_language(info: str) -> tuple[str, set[str]]:
    """``"python no-run"`` -> ``("python", {"no-run"})``."""
    words = info.split()
    if not words:
        return "", set()
    return words[0].lower(), {word.lower() for word in words[1:]}


@dataclass(frozen=True)
class Link:
    """A link or image target found in Markdown, with its line relative to the text."""

    target: str
    line: int  # 0-based line within the parsed text
    image: bool


def headings(tokens: list[Token]) -> list[tuple[str, int]]:
    """Heading ids (as the renderer writes them) with their 0-based lines."""
    found = []
    for token in tokens:
        if token.type == "heading_open" and token.attrGet("id"):
            found.append((str(token.attrGet("id")), token.map[0] if token.map else 0))
    return found


def links(tokens: list[Token]) -> list[Link]:
    """Every link href and image src, with the line of the block it sits in."""
    found: list[Link] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        for child in token.children:
            # A paragraph spans lines: count the line breaks before the link.
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type.startswith("math"):
                line += child.content.count("\n")
            elif child.type == "link_open":
                found.append(Link(str(child.attrGet("href") or ""), line, image=False))
            elif child.type == "image":
                found.append(Link(str(child.attrGet("src") or ""), line, image=True))
    return found


def code_blocks(tokens: list[Token]) -> list[tuple[str, set[str], str, int]]:
    """Fenced code blocks as ``(language, flags, code, 0-based line of the fence)``."""
    found = []
    for token in tokens:
        if token.type == "fence":
            language, flags = fence_language(token.info)
            found.append((language, flags, token.content, token.map[0] if token.map else 0))
    return found
