"""Sentence pairs for the translator: short verse pairs from the World English Bible and
the Reina-Valera 1909 (split by book, ``data.bibles``), plus FreeDict word pairs for
everyday vocabulary that scripture lacks (``data.freedict``).

Dictionary pairs join the training split only; validation and test are verses from books
the model never saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from buildreal.projects.data.bibles import by_split, load_verses, short_verses
from buildreal.projects.data.freedict import load_freedict

DIRECTIONS = ("en-es", "es-en")
_WORD = re.compile(r"^[a-záéíóúüñ]+$")


@dataclass(frozen=True)
class Pairs:
    """Parallel texts of one split, source side first."""

    src: list[str]
    tgt: list[str]

    def __len__(self) -> int:
        return len(self.src)

    def head(self, n: int) -> Pairs:
        return Pairs(self.src[:n], self.tgt[:n])


def check_direction(direction: str) -> tuple[str, str]:
    """'en-es' -> ('en', 'es'); anything else is refused with the choices."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    src, tgt = direction.split("-")
    return src, tgt


def dictionary_pairs() -> list[tuple[str, str]]:
    """(english, spanish) single-word pairs: each headword with its first translation,
    where both are plain lower-case words (FreeDict glues phrases like "buenosdías")."""
    pairs = []
    for english, spanish in sorted(load_freedict().items()):
        first = spanish[0].lower() if spanish else ""
        if _WORD.match(english) and _WORD.match(first) and len(first) < 16:
            pairs.append((english, first))
    return pairs


def load_pairs(direction: str = "en-es", max_words: int = 20, with_dictionary: bool = True
               ) -> dict[str, Pairs]:
    """{"train", "valid", "test"} -> Pairs for the direction; the verses are those with
    both sides at most ``max_words`` words."""
    src_lang, _ = check_direction(direction)
    verses = short_verses(load_verses(), max_words=max_words, sides=("web", "spa"))
    out: dict[str, Pairs] = {}
    for split, group in by_split(verses).items():
        en, es = [v.web for v in group], [v.spa for v in group]
        if split == "train" and with_dictionary:
            words = dictionary_pairs()
            en, es = en + [w for w, _ in words], es + [w for _, w in words]
        out[split] = Pairs(en, es) if src_lang == "en" else Pairs(es, en)
    return out
