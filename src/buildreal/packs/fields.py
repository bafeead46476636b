"""Typed, problem-collecting access to one YAML mapping of a pack.

The loader reads every mapping through a :class:`Fields`: it knows the keys allowed
there, reports unknown ones (with a "did you mean" from difflib), missing required ones
and wrong types as :class:`Problem` s with the right line, and always returns a usable
default so that validation goes on and the author sees every problem in one run.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from buildreal.packs.model import Problem
from buildreal.packs.yamlsrc import LDict, LList

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ID_RULE = "lowercase letters, digits and '-', starting with a letter or digit"

_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a mapping"}


def name_of(where: str, data: LDict) -> str:
    """Fill ``{id}`` in a description from the mapping's id (or say it has none)."""
    if "{id}" not in where:
        return where
    ident = data.get("id") if isinstance(data, dict) else None
    if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
        return where.replace("{id}", str(ident))
    return where.replace("'{id}'", "(no id)").replace("{id}", "(no id)")


def describe(value: Any) -> str:
    """Name a YAML value's type the way an author thinks of it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({value!r})"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Fields:
    """Read the keys of one mapping, checking each as it is read.

    ``where`` names the mapping in messages ("course.yaml", "question '{id}'"); a
    ``{id}`` in it is filled from the mapping's own ``id`` so that every message, even
    one about a key read before the id, says which question or option it is about.
    """

    def __init__(self, data: LDict, path: Path, problems: list[Problem], where: str,
                 allowed: Iterable[str]) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.where = name_of(where, data)
        self.allowed = tuple(allowed)
        self.suggested: set[str] = set()  # allowed keys a typo was taken for
        for key in data:
            if key not in self.allowed:
                self.problem(data.line_of(key), self._unknown_key_message(key))

    def _unknown_key_message(self, key: Any) -> str:
        message = f"unknown key '{key}' in {self.where}"
        close = difflib.get_close_matches(str(key), self.allowed, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean '{close[0]}'?)"
            self.suggested.add(close[0])
        return message + "; allowed keys: " + ", ".join(self.allowed)

    # --- plumbing -----------------------------------------------------------------

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def text_line(self, key: str) -> int:
        return self.data.text_line_of(key)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required and key not in self.suggested:  # a typo is reported once
                if key in self.data:
                    self.problem(self.line(key), f"'{key}' in {self.where} is empty")
                else:
                    self.problem(self.data.line, f"missing required field '{key}' in "
                                                 f"{self.where}")
            return None
        return self.data[key]

    def _wrong(self, key: str, expected: str, value: Any) -> None:
        self.problem(self.line(key), f"'{key}' in {self.where} must be {expected}, "
                                     f"not {describe(value)}")

    # --- scalars --------------------------------------------------------------------

    def text(self, key: str, required: bool = True, default: str = "",
             nonempty: bool = True) -> str:
        """Text (a number written bare is accepted as text, e.g. ``hours: 8``)."""
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._wrong(key, "text", value)
            return default
        text = str(value)
        if nonempty and not text.strip():
            self.problem(self.line(key), f"'{key}' in {self.where} is empty")
        return text

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not ID_PATTERN.match(value):
            self.problem(self.line(key), f"{key} '{value}' in {self.where} is not a valid id "
                                         f"({ID_RULE})")
        return value

    def integer(self, key: str, required: bool = True, default: int | None = 0,
                minimum: int | None = None) -> int | None:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(key, "a whole number", value)
            return default
        if minimum is not None and value < minimum:
            self.problem(self.line(key), f"'{key}' in {self.where} must be at least "
                                         f"{minimum}, not {value}")
        return value

    def number(self, key: str, required: bool = True,
               default: float | None = 0.0) -> float | None:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._wrong(key, "a number", value)
            return default
        if not math.isfinite(value):
            self.problem(self.line(key), f"'{key}' in {self.where} must be a finite number, "
                                         f"not {value}")
            return default
        return float(value)

    def fraction(self, key: str, default: float) -> float:
        value = self.number(key, required=False, default=None)
        if value is None:
            return default
        if not 0.0 < value <= 1.0:
            self.problem(self.line(key), f"'{key}' in {self.where} must be a fraction "
                                         f"between 0 and 1 (0.8 means 80%), not {value}")
            return default
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self._wrong(key, "true or false", value)
            return default
        return value

    # --- containers ------------------------------------------------------------------

    def mapping(self, key: str, required: bool = True) -> LDict | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, LDict):
            self._wrong(key, "a mapping (indented 'key: value' lines)", value)
            return None
        return value

    def seq(self, key: str, required: bool = True, min_len: int = 0) -> LList:
        """A list; a missing optional list is an empty one."""
        value = self._get(key, required)
        if value is None:
            empty = LList()
            empty.line, empty.item_lines = self.line(key), []
            return empty
        if not isinstance(value, LList):
            self._wrong(key, "a list ('- ' entries)", value)
            empty = LList()
            empty.line, empty.item_lines = self.line(key), []
            return empty
        if len(value) < min_len:
            self.problem(self.line(key), f"'{key}' in {self.where} needs at least {min_len} "
                                         f"entr{'y' if min_len == 1 else 'ies'}, has "
                                         f"{len(value)}")
        return value

    def text_list(self, key: str, required: bool = False, min_len: int = 0) -> tuple[str, ...]:
        """A list of text entries (whole numbers are accepted as text).

        A decimal number is refused: YAML rewrites it before anyone reads it (``1e-3``
        becomes ``0.001``, ``0.10`` becomes ``0.1``), so a keyword written that way would
        never match what a learner types. Quoting keeps it as written.
        """
        values = self.seq(key, required=required, min_len=min_len)
        out: list[str] = []
        for index, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                self.problem(values.line_of(index), f"entry {index + 1} of '{key}' in "
                                                    f"{self.where} must be text, not "
                                                    f"{describe(value)}")
                continue
            if isinstance(value, float):
                self.problem(values.line_of(index), f"entry {index + 1} of '{key}' in "
                                                    f"{self.where} is read by YAML as the "
                                                    f"number {value!r}, not as written; put "
                                                    "it in quotes, e.g. '1e-3'")
                continue
            if not str(value).strip():
                self.problem(values.line_of(index), f"entry {index + 1} of '{key}' in "
                                                    f"{self.where} is empty")
            out.append(str(value))
        return tuple(out)

    def mappings(self, key: str, required: bool = True,
                 min_len: int = 0) -> list[LDict]:
        """A list whose entries must be mappings; wrong entries are reported and skipped."""
        values = self.seq(key, required=required, min_len=min_len)
        out: list[LDict] = []
        for index, value in enumerate(values):
            if not isinstance(value, LDict):
                self.problem(values.line_of(index), f"entry {index + 1} of '{key}' in "
                                                    f"{self.where} must be a mapping "
                                                    f"('key: value' lines), not "
                                                    f"{describe(value)}")
                continue
            out.append(value)
        return out


def check_unique(entries: Iterable[tuple[str, LDict]], path: Path, problems: list[Problem],
                 what: str, scope: str = "") -> None:
    """Report each id that appeared before (at its ``id`` line), naming the first one."""
    seen: dict[str, int] = {}
    for ident, data in entries:
        line = data.line_of("id")
        if not ident:
            continue
        if ident in seen:
            problems.append(Problem(path, line, f"duplicate {what} '{ident}'{scope} (first "
                                                f"at line {seen[ident]})"))
        else:
            seen[ident] = line
