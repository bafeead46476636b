"""Usernames that cannot pass for someone else's.

A name is compared in its *skeleton*: Unicode NFKC (full-width and compatibility forms
folded, as Django stores it), letters from other alphabets that look like Latin ones
replaced by those (Cyrillic "а" by "a", after the Unicode confusables table), the ASCII
look-alikes "I", "1", "|" made "l" and "0" made "o", case folded, and "rn" read as "m".
Two names with one skeleton look the same on a leaderboard or in a cohort list, so the
second is refused; so is a name that mixes alphabets in a way meant to deceive.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError

_ASCII_LOOKALIKES = str.maketrans({"I": "l", "1": "l", "|": "l", "0": "o"})


@lru_cache(maxsize=4096)
def _latin(char: str) -> str:
    if char.isascii():
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii():
                return glyph["c"]
    return char


def skeleton(name: str) -> str:
    folded = "".join(_latin(char) for char in unicodedata.normalize("NFKC", name))
    folded = folded.translate(_ASCII_LOOKALIKES).casefold()
    return folded.replace("rn", "m").replace("vv", "w")


def check_new(name: str, taken: bool) -> None:
    """Raise ``ValidationError`` (field ``username``) for a deceptive or taken name."""
    if confusables.is_dangerous(unicodedata.normalize("NFKC", name)):
        raise ValidationError(
            "This username mixes letters from different alphabets that look alike; use "
            "letters from one alphabet, e.g. ada_l.", code="username_confusable")
    if taken:
        raise ValidationError(
            "That username is taken, or looks the same as one that is (letter case, "
            "full-width forms and look-alike letters count as the same). Pick another, "
            "e.g. add your initials.", code="username_lookalike")
