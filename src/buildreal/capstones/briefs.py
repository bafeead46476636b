"""Learner text in the exchange: checks, word count, required sections, diffs, pseudonyms.

No Django. The browser's live word count and checklist (static/capstones/editor.js)
follow the same rules as ``word_count`` and ``headings`` so the numbers agree after a
save.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass

MAX_BRIEF_CHARS = 20_000
MAX_OBJECTION_CHARS = 2_000
MAX_RESPONSE_CHARS = 4_000
MAX_PART_CHARS = 200

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


class InputError(ValueError):
    """Text that cannot be stored; the message says which field and what to do."""


def clean(text: str, field: str, max_chars: int, *, required: bool = True) -> str:
    """Normalise line ends and refuse NUL bytes, over-long and (if required) empty text."""
    if "\x00" in text:
        raise InputError(f"The {field} contains a NUL character (\\0), which cannot be "
                         f"stored; remove it and try again.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > max_chars:
        raise InputError(f"The {field} is {len(text):,} characters long; the limit is "
                         f"{max_chars:,}. Shorten it and try again.")
    if required and not text.strip():
        raise InputError(f"The {field} is empty.")
    return text


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _norm(heading: str) -> str:
    return " ".join(heading.strip().rstrip(":.").lower().split())


def headings(text: str) -> list[str]:
    """The Markdown headings of a brief (ATX ``#`` style), as written."""
    return [match.group(1).strip() for match in _HEADING.finditer(text)]


def checklist(text: str, required: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Each required section and whether the brief has a heading of that name."""
    present = {_norm(h) for h in headings(text)}
    return [(section, _norm(section) in present) for section in required]


def missing_sections(text: str, required: tuple[str, ...]) -> list[str]:
    return [section for section, found in checklist(text, required) if not found]


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) for each headed section; text before the first heading is ''."""
    out: list[tuple[str, str]] = []
    matches = list(_HEADING.finditer(text))
    if not matches or matches[0].start() > 0:
        head = text[:matches[0].start()] if matches else text
        if head.strip():
            out.append(("", head))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        out.append((match.group(1).strip(), text[match.end():end]))
    return out


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


def diff(first: str, revised: str) -> list[DiffLine]:
    """A line-by-line diff of the first version against the revision, readable as is."""
    rows: list[DiffLine] = []
    for line in difflib.ndiff(first.splitlines(), revised.splitlines()):
        tag, body = line[:2], line[2:]
        if tag == "  ":
            rows.append(DiffLine("same", body))
        elif tag == "+ ":
            rows.append(DiffLine("added", body))
        elif tag == "- ":
            rows.append(DiffLine("removed", body))
    return rows


_ADJECTIVES = ("Amber", "Brisk", "Cobalt", "Dusky", "Eager", "Fern", "Golden", "Hazel",
               "Ivory", "Jade", "Keen", "Lunar", "Misty", "Nimble", "Ochre", "Pale",
               "Quiet", "Russet", "Silver", "Teal", "Umber", "Vivid", "Wry", "Young")
_ANIMALS = ("Heron", "Otter", "Lynx", "Marten", "Finch", "Badger", "Ibis", "Kestrel",
            "Newt", "Plover", "Stoat", "Wren", "Gecko", "Hare", "Owl", "Tern", "Vole",
            "Yak", "Crane", "Dormouse", "Egret", "Ferret", "Jay", "Mole")


def pseudonym(key: str) -> str:
    """A stable two-word name from a secret-salted key (no learner's name leaks)."""
    digest = hashlib.sha256(key.encode()).digest()
    return f"{_ADJECTIVES[digest[0] % len(_ADJECTIVES)]} {_ANIMALS[digest[1] % len(_ANIMALS)]}"
