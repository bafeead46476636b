"""Check where a module check's parts are, once the whole course is read.

A ``module-check`` item names its parts by id. Each part must be an item of the same
module, listed *before* the check in module.yaml (the check page gathers what the learner
has just met), of a kind a check can hold (flashcards, quiz, synthesis, capstone), and
named once. Each mistake is reported at the line of the part's entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from buildreal.packs.model import MODULE_CHECK_PART_KINDS, Course, Problem


@dataclass(frozen=True)
class PartRef:
    """One entry of a check's ``parts`` list and where it was written."""

    check_id: str
    part_id: str
    path: Path
    line: int


def check_parts(course: Course, refs: list[PartRef], problems: list[Problem],
                incomplete: set[str] | frozenset[str] = frozenset()) -> None:
    """Append a problem for every part that is unknown, misplaced, of a wrong kind or repeated.

    In a module in ``incomplete`` (an item file missing or unreadable) an unknown part is
    most likely that file, already reported, so it is not reported again.
    """
    where: dict[str, tuple[str, int]] = {}  # item id -> (module id, position in module)
    kinds: dict[str, str] = {}
    for module in course.modules:
        for position, item in enumerate(module.items):
            where.setdefault(item.id, (module.id, position))
            kinds.setdefault(item.id, item.kind)
    seen: dict[str, set[str]] = {}
    for ref in refs:
        if ref.check_id not in where:
            continue
        check_module, check_position = where[ref.check_id]
        named = seen.setdefault(ref.check_id, set())
        if ref.part_id in named:
            problems.append(Problem(ref.path, ref.line, f"part '{ref.part_id}' is listed "
                                                        f"twice in module check "
                                                        f"'{ref.check_id}'"))
            continue
        named.add(ref.part_id)
        if ref.part_id not in where:
            if check_module in incomplete:
                continue
            problems.append(Problem(ref.path, ref.line, f"unknown part '{ref.part_id}' in "
                                                        f"module check '{ref.check_id}': no "
                                                        f"item has that id in module "
                                                        f"'{check_module}'"))
            continue
        part_module, part_position = where[ref.part_id]
        if part_module != check_module:
            problems.append(Problem(ref.path, ref.line, f"part '{ref.part_id}' of module "
                                                        f"check '{ref.check_id}' is in module "
                                                        f"'{part_module}'; a check gathers "
                                                        f"items of its own module "
                                                        f"'{check_module}'"))
            continue
        if part_position > check_position:
            problems.append(Problem(ref.path, ref.line, f"part '{ref.part_id}' is listed "
                                                        f"after module check "
                                                        f"'{ref.check_id}' in module.yaml; "
                                                        f"list the check after its parts"))
            continue
        if kinds[ref.part_id] not in MODULE_CHECK_PART_KINDS:
            problems.append(Problem(ref.path, ref.line, f"part '{ref.part_id}' of module "
                                                        f"check '{ref.check_id}' is a "
                                                        f"{kinds[ref.part_id]}; a check holds "
                                                        f"only: "
                                                        f"{', '.join(MODULE_CHECK_PART_KINDS)}"))
