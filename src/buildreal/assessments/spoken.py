"""A plain-text reading of an option's TeX, for its accessible name.

Browsers do not reliably name a radio button whose label is only typeset math (KaTeX's
MathML is skipped by some accessibility trees), so such options carry an ``aria-label``
with the formula read out in words. Pure Python.
"""

from __future__ import annotations

import re

_WORDS = {
    r"\to": " to ", r"\times": " times ", r"\cdot": " times ", r"\le": " at most ",
    r"\leq": " at most ", r"\ge": " at least ", r"\geq": " at least ", r"\ne": " not equal ",
    r"\approx": " approximately ", r"\infty": " infinity ", r"\sum": " sum of ",
    r"\log": " log ", r"\exp": " exp ", r"\sqrt": " square root of ", r"\pm": " plus or minus ",
    r"\in": " in ", r"\partial": " partial ", r"\nabla": " gradient ",
}
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def has_math(text: str) -> bool:
    return "$" in text or "\\(" in text


def spoken(text: str) -> str:
    """``$\\eta \\to 10\\,\\eta$`` -> ``eta to 10 eta`` (best effort, never empty)."""
    out = text.replace("$$", " ").replace("$", " ").replace("\\(", " ").replace("\\)", " ")
    out = _FRAC.sub(r" \1 over \2 ", out)
    for command in sorted(_WORDS, key=len, reverse=True):
        out = re.sub(re.escape(command) + r"(?![A-Za-z])", _WORDS[command], out)
    out = re.sub(r"\\[,;:! ]", " ", out)
    out = _COMMAND.sub(r" \1 ", out)  # Greek letters and other names read as themselves
    out = out.replace("^", " to the power ").replace("_", " sub ")
    out = re.sub(r"[{}\\]", " ", out)
    out = re.sub(r"\s+", " ", out).strip()
    return out or text.strip()
