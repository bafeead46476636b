"""Module checks and capstone options in the pack format: loaded, and each mistake
reported at the line of the entry an author must fix."""

from __future__ import annotations

import pytest

from buildreal.packs.loader import PackError, load_course

CHECK = "m2-training/check.yaml"
MODULE = "m2-training/module.yaml"
CAPSTONE = "m2-training/capstone.yaml"


def _problems(pack) -> list[tuple[str, int, str]]:
    with pytest.raises(PackError) as caught:
        load_course(pack.root)
    return [(p.path.name, p.line, p.message) for p in caught.value.problems]


def test_module_check_loads_its_overview_and_parts_in_order(sample_pack) -> None:
    course = load_course(sample_pack)
    check = course.item("m2-check")

    assert check.kind == "module-check"
    assert check.check.parts == ("m2-cards", "m2-check-quiz", "m2-synthesis", "m2-capstone")
    assert "validation curve" in check.check.overview
    assert [course.item(p).kind for p in check.check.parts] == \
        ["flashcards", "quiz", "synthesis", "capstone"]


def test_capstone_reads_required_sections_and_wait(sample_pack) -> None:
    capstone = load_course(sample_pack).item("m2-capstone").capstone
    assert capstone.required_sections == ("Model", "Data split", "Learning rate",
                                          "Stopping rule")
    assert capstone.partner_wait_hours == 24.0


def test_capstone_wait_defaults_to_a_day(pack) -> None:
    pack.replace(CAPSTONE, "partner_wait_hours: 24\n", "")
    assert load_course(pack.root).item("m2-capstone").capstone.partner_wait_hours == 24.0


def test_unknown_part_is_reported_at_its_entry(pack) -> None:
    pack.replace(CHECK, "parts: [m2-cards, m2-check-quiz, m2-synthesis, m2-capstone]",
                 "parts:\n  - m2-cards\n  - m2-nothing\n")
    found = _problems(pack)
    assert ("check.yaml", pack.line_of(CHECK, "m2-nothing"),
            "unknown part 'm2-nothing' in module check 'm2-check': no item has that id "
            "in module 'm2'") in found


def test_part_from_another_module_is_reported(pack) -> None:
    pack.replace(CHECK, "parts: [m2-cards, m2-check-quiz, m2-synthesis, m2-capstone]",
                 "parts:\n  - m2-cards\n  - m1-l1-quiz\n")
    found = [f for f in _problems(pack) if "m1-l1-quiz" in f[2]]
    assert found and found[0][:2] == ("check.yaml", pack.line_of(CHECK, "m1-l1-quiz"))
    assert "is in module 'm1'" in found[0][2]


def test_part_listed_after_the_check_is_reported(pack) -> None:
    pack.replace(MODULE, "  - capstone.yaml\n  - check-quiz.yaml\n  - check.yaml\n",
                 "  - check-quiz.yaml\n  - check.yaml\n  - capstone.yaml\n")
    pack.replace(CHECK, "parts: [m2-cards, m2-check-quiz, m2-synthesis, m2-capstone]",
                 "parts:\n  - m2-cards\n  - m2-capstone\n")
    found = [f for f in _problems(pack) if "m2-capstone" in f[2]]
    assert found and found[0][:2] == ("check.yaml", pack.line_of(CHECK, "- m2-capstone"))
    assert "listed after module check 'm2-check'" in found[0][2]


def test_part_of_a_kind_a_check_cannot_hold_is_reported(pack) -> None:
    pack.replace(CHECK, "m2-check-quiz, ", "m2-l1, ")
    found = [f for f in _problems(pack) if "m2-l1" in f[2]]
    assert found and "is a lesson; a check holds only" in found[0][2]


def test_repeated_part_and_missing_overview_are_reported(pack) -> None:
    pack.replace(CHECK, "m2-synthesis, ", "m2-cards, ")
    pack.replace(CHECK, "overview: |", "summary: |")
    messages = [f[2] for f in _problems(pack)]
    assert any("part 'm2-cards' is listed twice" in m for m in messages)
    assert any("missing required field 'overview'" in m for m in messages)


def test_negative_wait_is_reported(pack) -> None:
    pack.replace(CAPSTONE, "partner_wait_hours: 24", "partner_wait_hours: -1")
    found = _problems(pack)
    assert any(f[1] == pack.line_of(CAPSTONE, "partner_wait_hours") and
               "cannot be negative" in f[2] for f in found)
