"""An exam's ``requires`` list: loaded in order, and each wrong entry reported at its line."""

from __future__ import annotations

import pytest

from buildreal.packs.loader import PackError, load_course

EXAM = "m2-training/exam.yaml"


def _problems(pack) -> list[tuple[str, int, str]]:
    with pytest.raises(PackError) as caught:
        load_course(pack.root)
    return [(p.path.name, p.line, p.message) for p in caught.value.problems]


def _require(pack, *ids: str) -> None:
    entries = "".join(f"  - {ident}\n" for ident in ids)
    pack.replace(EXAM, "draw: 3\n", f"draw: 3\nrequires:\n{entries}")


def test_exam_reads_the_items_it_requires_in_order(pack) -> None:
    _require(pack, "m1-test", "m1-l1-quiz")
    exam = load_course(pack.root).item("final-exam")
    assert exam.assessment.requires == ("m1-test", "m1-l1-quiz")


def test_exam_without_requires_opens_to_everyone(sample_pack) -> None:
    assert load_course(sample_pack).item("final-exam").assessment.requires == ()


def test_unknown_required_id_is_reported_at_its_line(pack) -> None:
    _require(pack, "m1-test", "m9-test")
    line = pack.line_of(EXAM, "- m9-test")
    assert ("exam.yaml", line, "unknown required item 'm9-test' in 'final-exam': no item "
            "of the course has that id") in _problems(pack)


def test_required_item_must_be_something_a_learner_passes(pack) -> None:
    _require(pack, "m2-cards")
    problems = _problems(pack)
    assert [(p[1], "flashcards; only a quiz, test or exam" in p[2]) for p in problems] == \
        [(pack.line_of(EXAM, "- m2-cards"), True)]


def test_exam_cannot_require_itself_or_name_an_item_twice(pack) -> None:
    _require(pack, "final-exam", "m1-test", "m1-test")
    messages = [p[2] for p in _problems(pack)]
    assert "'final-exam' cannot require itself" in messages
    assert "'m1-test' is listed twice in 'requires' of 'final-exam'" in messages


def test_requires_on_a_quiz_is_an_unknown_key(pack) -> None:
    pack.replace("m1-learning/l1-quiz.yaml", "questions:", "requires: [m1-test]\nquestions:")
    assert any("requires" in message for _, _, message in _problems(pack))
