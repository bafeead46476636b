"""Verse-aligned English and Spanish Bibles from Debian's SWORD modules (projects 5 and 6).

Three public-domain translations, installed by scripts/setup.sh as Debian packages and
read with ``diatheke`` (also Debian's):

============ ====================== ===================================================
module       package                text
============ ====================== ===================================================
engWEB2015eb sword-text-web         World English Bible (modern English)
engKJV2006eb sword-text-kjv         King James Version (1611 English)
spaRV1909eb  sword-text-sparv       Reina-Valera 1909 (Spanish)
============ ====================== ===================================================

A verse reference ("John 3:16") is the alignment: the same reference in two modules is
a translation pair (WEB/Reina-Valera for the translator of project 5) or a paraphrase
pair (KJV/WEB for the contrastive encoder of project 6). ``buildreal data fetch bibles``
exports all three once into one tab-separated file, so loading is a file read rather than
three diatheke runs (about 5 s each).

Held-out data is split by *book*, never by verse: neighbouring verses share names and
phrases, so a random verse split would leak test sentences into training.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.data.paths import datasets_dir

MODULES = {"web": "engWEB2015eb", "kjv": "engKJV2006eb", "spa": "spaRV1909eb"}
PACKAGES = "sword-text-web sword-text-kjv sword-text-sparv diatheke"
_RANGE = "Genesis 1:1-Revelation 22:21"
# Books held out for evaluation (test) and for model selection (valid). Chosen to mix
# narrative, letters and poetry from both testaments; every other shared book trains.
TEST_BOOKS: tuple[str, ...] = ("Ruth", "Jonah", "Mark", "Philippians", "James")
VALID_BOOKS: tuple[str, ...] = ("Esther", "Titus", "I Peter")

# A verse line: an optional heading the renderer repeats before the reference (Psalm
# titles), two or more spaces, then "Book chapter:verse: text".
_VERSE_START = re.compile(
    r"(?:^|\s\s)\s*((?:I{1,3} |IV )?[A-Z][a-z]+(?: (?:of|[A-Z][a-z]+))*) (\d+):(\d+): ?(.*)$")
_GLOSSARY = "The following words used in the World English Bible"
_DROPPED = re.compile(r"<(title|note)\b[^>]*>.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Verse:
    """One verse in all three translations."""

    book: str
    chapter: int
    verse: int
    web: str
    kjv: str
    spa: str

    @property
    def ref(self) -> str:
        return f"{self.book} {self.chapter}:{self.verse}"


def bibles_path() -> Path:
    return datasets_dir() / "bibles" / "verses.tsv"


def clean_verse(osis: str) -> str:
    """Plain text of one verse rendered as OSIS: headings and notes go, then all markup.

    Adjacent word elements (``<w>God</w><w>created</w>``, where a note was) are split
    by a space first; the plain renderer glues them into "Godcreated".
    """
    text = _DROPPED.sub(" ", osis).replace("</w><w", "</w> <w")
    text = _TAG.sub("", text).replace("¶", " ")
    return _SPACE.sub(" ", html.unescape(text)).strip()


def parse_diatheke(output: str) -> dict[tuple[str, int, int], str]:
    """Map (book, chapter, verse) to plain text from ``diatheke -f OSIS`` output.

    A verse starts with its reference (after any repeated heading, which is dropped);
    poetry may continue on the following lines. The closing "(module)" line is dropped.
    The Reina-Valera keeps psalm titles inside verse 1 ("Salmo de David."), where the
    English modules have them as headings: a little noise the models must live with.
    """
    verses: dict[tuple[str, int, int], list[str]] = {}
    current: tuple[str, int, int] | None = None
    for line in output.splitlines():
        match = _VERSE_START.search(line)
        if match:
            book, chapter, verse, text = match.groups()
            current = (book.strip(), int(chapter), int(verse))
            verses[current] = [text]
        elif current is not None and line.strip() and not line.startswith("("):
            verses[current].append(line)
    result = {key: clean_verse(" ".join(parts)) for key, parts in verses.items()}
    # The WEB appends its glossary to the last verse of Revelation.
    result = {key: text.split(_GLOSSARY)[0].strip() for key, text in result.items()}
    return {key: text for key, text in result.items() if text}


def _render(module: str) -> str:
    if shutil.which("diatheke") is None:
        raise DataUnavailable(
            f"diatheke is not installed. Run `sudo apt-get install {PACKAGES}` "
            "(scripts/setup.sh does it), then `buildreal data fetch bibles`.")
    try:
        done = subprocess.run(["diatheke", "-b", module, "-f", "OSIS", "-k", _RANGE],
                              capture_output=True, text=True, timeout=600, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DataUnavailable(f"diatheke could not read the SWORD module {module} ({exc}); "
                              f"run `sudo apt-get install {PACKAGES}`") from exc
    if ": " not in done.stdout:
        raise DataUnavailable(f"the SWORD module {module} is not installed; run "
                              f"`sudo apt-get install {PACKAGES}`")
    return done.stdout


def fetch_bibles() -> bool:
    """Export the verses shared by all three modules; False when already exported."""
    target = bibles_path()
    if target.is_file():
        return False
    texts = {name: parse_diatheke(_render(module)) for name, module in MODULES.items()}
    shared = [key for key in texts["kjv"] if key in texts["web"] and key in texts["spa"]]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["book", "chapter", "verse", "web", "kjv", "spa"])
        for book, chapter, verse in shared:
            writer.writerow([book, chapter, verse, texts["web"][(book, chapter, verse)],
                             texts["kjv"][(book, chapter, verse)],
                             texts["spa"][(book, chapter, verse)]])
    partial.replace(target)  # a crash mid-write never leaves a short file behind
    return True


def load_verses(path: Path | None = None) -> list[Verse]:
    """Every aligned verse, in canonical order (Genesis to Revelation)."""
    source = path or bibles_path()
    if not source.is_file():
        raise DataUnavailable(f"{source} not found. Run `buildreal data fetch bibles` "
                              f"(it needs the Debian packages {PACKAGES}).")
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Verse(r["book"], int(r["chapter"]), int(r["verse"]), r["web"], r["kjv"], r["spa"])
            for r in rows]


def split_of(book: str) -> str:
    """'test', 'valid' or 'train' for a book name, by the fixed held-out lists."""
    if book in TEST_BOOKS:
        return "test"
    if book in VALID_BOOKS:
        return "valid"
    return "train"


def by_split(verses: Iterable[Verse]) -> dict[str, list[Verse]]:
    """Verses grouped into train/valid/test by book (no book is in two splits)."""
    groups: dict[str, list[Verse]] = {"train": [], "valid": [], "test": []}
    for verse in verses:
        groups[split_of(verse.book)].append(verse)
    return groups


def word_count(text: str) -> int:
    return len(text.split())


def short_verses(verses: Iterable[Verse], max_words: int = 20,
                 sides: tuple[str, ...] = ("web", "spa")) -> list[Verse]:
    """Verses whose named sides are each at most ``max_words`` words (the translator's)."""
    return [v for v in verses if all(word_count(getattr(v, side)) <= max_words for side in sides)]
