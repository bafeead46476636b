"""Check a test's or exam's ``requires`` list once the whole course is read.

A test or exam may name assessments a learner must pass before starting it (the Final
Exam names the module tests). Each entry must be the id of a quiz, test or exam in the
same course, other than the item itself, named once; each mistake is reported at the
line of its entry, so an author sees ``exam.yaml:12: unknown required item 'm6-test'``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from buildreal.packs.model import Course, Problem

REQUIRABLE_KINDS = ("quiz", "test", "exam")


@dataclass(frozen=True)
class RequireRef:
    """One entry of an item's ``requires`` list and where it was written."""

    item_id: str
    required_id: str
    path: Path
    line: int


def check_requires(course: Course, refs: list[RequireRef], problems: list[Problem],
                   incomplete: set[str] | frozenset[str] = frozenset()) -> None:
    """Append a problem for every required id that is unknown, not passable, the item
    itself, or repeated. While some module failed to load (``incomplete`` non-empty) an
    unknown id may live in that module, already reported, so it is not reported again."""
    kinds = {item.id: item.kind for module in course.modules for item in module.items}
    seen: dict[str, set[str]] = {}
    for ref in refs:
        named = seen.setdefault(ref.item_id, set())
        if ref.required_id in named:
            problems.append(Problem(ref.path, ref.line, f"'{ref.required_id}' is listed "
                                                        f"twice in 'requires' of "
                                                        f"'{ref.item_id}'"))
            continue
        named.add(ref.required_id)
        if ref.required_id == ref.item_id:
            problems.append(Problem(ref.path, ref.line, f"'{ref.item_id}' cannot require "
                                                        f"itself"))
        elif ref.required_id not in kinds:
            if not incomplete:
                problems.append(Problem(ref.path, ref.line, f"unknown required item "
                                                            f"'{ref.required_id}' in "
                                                            f"'{ref.item_id}': no item of "
                                                            f"the course has that id"))
        elif kinds[ref.required_id] not in REQUIRABLE_KINDS:
            problems.append(Problem(ref.path, ref.line, f"required item "
                                                        f"'{ref.required_id}' of "
                                                        f"'{ref.item_id}' is a "
                                                        f"{kinds[ref.required_id]}; only a "
                                                        f"quiz, test or exam can be passed"))
