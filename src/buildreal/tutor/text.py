"""Small, dependency-free text tools the analysis is built on.

Learner messages are short and informal, so the tools are deliberately modest: lowercase
word tokens, a light suffix-stripping stemmer (enough that "labels", "labelled" and
"labelling" meet), sentence splitting, and phrase search over token sequences so that an
alias such as "don't deploy" is found as one unit before "deploy" is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"\d+(?:\.\d+)+|[a-z0-9]+(?:'[a-z]+)?")  # "2.3" is one token
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")

STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from into onto as is are
    was were be been being am it its it's this that these those there here i i'm i'd i'll
    you your you're we our they their he she him her them me my mine do does did doing
    done have has had having would could should will shall can may might must just very
    really quite also too than what what's which who whom whose when where why how about over
    under again further once any some such only own same other each few more most much
    many all both either neither not no nor up down out off yes ok okay well think guess
    feel like get got go going one ones thing things way lot bit""".split()
)

# Words that negate a mention close before it ("not the data", "isn't the loss").
NEGATORS = frozenset(
    "not no never isn't aren't wasn't weren't don't doesn't didn't won't wouldn't "
    "can't cannot without nor hardly".split()
)


# One way to write a number, so "2.30", "2.3", "4,096", "4096", "91 %", "91 percent",
# ".5" and "10×" meet the lab's own figures.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TRAILING_ZEROS = re.compile(r"(?<![\d.])(\d+)\.(\d*?)0+(?![\d.])")
_LEADING_POINT = re.compile(r"(?<![\w.])\.(\d)")
_PERCENT = re.compile(r"(\d)\s*(?:%|per ?cent\b)")
_TIMES = re.compile(r"(\d)\s*[x\u00d7](?![a-z0-9])")


def _numbers(text: str) -> str:
    text = _THOUSANDS.sub("", text)
    text = _LEADING_POINT.sub(r"0.\1", text)
    text = _TRAILING_ZEROS.sub(lambda m: m.group(1) + ("." + m.group(2) if m.group(2) else ""),
                               text)
    text = _PERCENT.sub(r"\1%", text)
    return _TIMES.sub(r"\1x", text)


def normalize(text: str) -> str:
    """Lowercase, unify apostrophes and the way numbers are written, so patterns can be
    written once and "2.30" meets "2.3"."""
    return _numbers(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def words(text: str) -> list[str]:
    """Lowercase word tokens, keeping contractions ("don't") whole."""
    return _WORD.findall(normalize(text))


# British and American spellings meet before stemming ("optimised" and "optimized",
# "behaviour" and "behavior", "labelled" and "labeled", "centre" and "center").
_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"(?<=[a-z]{2}[bhilmnpv])our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{2}[^el])el(ed|ing|er|ers)$"), r"ell\1"),
    (re.compile(r"(?<=[a-z]{2}[^t])tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=[a-z]{3})ogue(s?)$"), r"og\1"),
)


def spelling(word: str) -> str:
    """The American spelling of a British one (and -elled for -eled), for matching."""
    if len(word) <= 5 or not word.isalpha():
        return word
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip common English suffixes; crude but stable, which is what matching needs."""
    w = spelling(word.replace("'", ""))
    if len(w) <= 3:
        return w
    for suffix, keep in (
        ("ational", 5), ("ization", 4), ("fulness", 4), ("iveness", 4), ("ements", 4),
        ("ation", 4), ("ement", 4), ("ments", 4), ("ness", 4), ("ings", 4), ("ment", 4),
        ("ing", 4), ("ies", 3), ("ied", 3), ("led", 4), ("ed", 4), ("ly", 4), ("es", 4),
        ("er", 4), ("s", 3),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= keep - 1:
            w = w[: -len(suffix)]
            break
    if w.endswith("l") and w.endswith("ll"):
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (stopwords and one-letter tokens dropped)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


def sentences(text: str) -> list[str]:
    """Split a message into sentences; a message without punctuation is one sentence."""
    parts = [p.strip() for p in _SENTENCE_END.split(text.strip())]
    return [p for p in parts if p]


def find_phrase(tokens: Sequence[str], phrase: Sequence[str], taken: set[int]) -> list[int]:
    """Start positions where ``phrase`` (stemmed tokens) occurs in ``tokens`` (stemmed)
    without overlapping positions already ``taken``."""
    hits: list[int] = []
    n = len(phrase)
    if not n:
        return hits
    for i in range(len(tokens) - n + 1):
        if tokens[i : i + n] == list(phrase) and not taken.intersection(range(i, i + n)):
            hits.append(i)
    return hits


_CONTRAST = frozenset("but however instead rather yet though although whereas".split())


def negated(raw_tokens: Sequence[str], start: int, window: int = 3) -> bool:
    """Whether one of the few words before ``start`` negates what follows."""
    before = [t for t in raw_tokens[max(0, start - window - 2) : start]
              if t not in ("a", "an", "the")][-window:]  # "not go with the X": 3 words
    for i in range(len(before) - 1, -1, -1):  # "not X but Y": the negation stops at "but"
        if before[i] in _CONTRAST:
            before = before[i + 1:]
            break
    if any(t in NEGATORS for t in before):
        return True
    joined = " ".join(raw_tokens[max(0, start - 3) : start])
    return "rather than" in joined or "instead of" in joined


def contains_any(text: str, phrases: Iterable[str]) -> str | None:
    """The first phrase found in ``text`` on word boundaries, else None."""
    padded = " " + " ".join(words(text)) + " "
    for phrase in phrases:
        if " " + phrase + " " in padded:
            return phrase
    return None
