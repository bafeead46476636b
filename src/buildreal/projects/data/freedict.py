"""The FreeDict English-Spanish dictionary (Debian's ``dict-freedict-eng-spa``).

The package installs a dictd database: an ``.index`` of ``headword, offset, length``
lines (offset and length in dictd's base-64 digits) and a dictzip-compressed ``.dict``,
which plain gzip reads. About 5,900 headwords; project 5 uses it for vocabulary the
verses lack and for its word-by-word baseline.

An entry reads ``headword /pronunciation/`` then the senses, one per line, numbered when
there are several. The database also files multi-word phrases under their first word
with the phrase's pronunciation ("good /gudnait/ buenasnoches" is "good night"), so the
entries of a headword are ranked by pronunciation length: the shortest is the word itself.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from buildreal.projects.data.errors import DataUnavailable

DICT_DIR = Path("/usr/share/dictd")
STEM = "freedict-eng-spa"
_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NUMBERED = re.compile(r"^\s*\d+\.\s*")


def _number(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _DIGITS.index(char)
    return value


def parse_entry(entry: str) -> tuple[str, list[str]]:
    """(pronunciation, translations) of one raw entry."""
    lines = [line for line in entry.splitlines() if line.strip()]
    head = lines[0] if lines else ""
    pron = head.split("/")[1] if head.count("/") >= 2 else head
    translations: list[str] = []
    for line in lines[1:]:
        for part in _NUMBERED.sub("", line).split(","):
            word = part.strip()
            if word and word not in translations:
                translations.append(word)
    return pron, translations


@lru_cache(maxsize=2)
def load_freedict(folder: Path = DICT_DIR) -> dict[str, list[str]]:
    """English headword (lower case) to Spanish translations, most likely first."""
    index, data = folder / f"{STEM}.index", folder / f"{STEM}.dict.dz"
    if not index.is_file() or not data.is_file():
        raise DataUnavailable(f"{index} not found; run `sudo apt-get install "
                              "dict-freedict-eng-spa` (scripts/setup.sh does it)")
    raw = gzip.open(data).read()
    ranked: dict[str, list[tuple[int, int, list[str]]]] = {}
    for order, line in enumerate(index.read_text(encoding="utf-8").splitlines()):
        fields = line.split("\t")
        if len(fields) != 3 or fields[0].startswith("00database"):
            continue
        word, offset, length = fields
        start = _number(offset)
        pron, translations = parse_entry(raw[start:start + _number(length)].decode("utf-8"))
        if translations:
            ranked.setdefault(word.lower(), []).append((len(pron), order, translations))
    result: dict[str, list[str]] = {}
    for word, entries in ranked.items():
        merged: list[str] = []
        for _, _, translations in sorted(entries, key=lambda e: (e[0], e[1])):
            merged.extend(t for t in translations if t not in merged)
        result[word] = merged
    return result
