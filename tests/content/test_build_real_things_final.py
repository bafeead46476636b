"""Content checks for the Final Exam of "Deep Learning: Build Real Things".

The generic content tests already check every question's form (four options, one right,
length ranks that give nothing away). These pin what the exam promises: it is the last
module, draws 20 of at least 40 at 70%, with attempts, a time limit and shuffling; it
requires every module test of the course; each of the notes' twenty questions has a
counterpart; and the counterparts say what the course corrected, not what the notes said.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buildreal.packs.loader import load_course
from buildreal.packs.model import Course, Item, Question

COURSE_ROOT = Path(__file__).resolve().parents[2] / "courses" / "build-real-things"
CORRECTIONS = COURSE_ROOT / "CORRECTIONS.md"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_ROOT)


@pytest.fixture(scope="module")
def exam(course: Course) -> Item:
    item = course.item("final-exam")
    assert item is not None and item.kind == "exam"
    return item


def _question(exam: Item, prefix: str) -> Question:
    found = [q for q in exam.assessment.questions if q.id.startswith(prefix)]
    assert len(found) == 1, prefix
    return found[0]


def _right(question: Question) -> str:
    return next(o.text for o in question.options if o.correct)


def _wrong(question: Question) -> list[str]:
    return [o.text for o in question.options if not o.correct]


def test_the_exam_is_the_last_module_and_draws_twenty_of_forty_at_seventy_percent(
        course: Course, exam: Item) -> None:
    assert course.modules[-1].items == (exam,)
    rules = exam.assessment
    assert rules.draw == 20 and len(rules.questions) >= 40
    assert rules.pass_mark == pytest.approx(0.7)
    assert rules.attempts and rules.time_limit_minutes and rules.shuffle


def test_the_exam_requires_every_module_test_of_the_course(course: Course,
                                                          exam: Item) -> None:
    tests = [item.id for item in course.items() if item.kind == "test"]
    assert len(tests) == 5
    assert sorted(exam.assessment.requires) == sorted(tests)


def test_the_pool_covers_all_five_modules(exam: Item) -> None:
    extra = [q.id for q in exam.assessment.questions if not q.id.startswith("n")]
    for module in ("m1", "m2", "m3", "m4", "m5"):
        assert sum(q.startswith(module + "-") for q in extra) >= 3, module


def test_each_of_the_notes_twenty_questions_has_a_counterpart_with_both_explanations(
        exam: Item) -> None:
    for number in range(1, 21):
        question = _question(exam, f"n{number:02d}-")
        assert question.explanation_correct.strip() and question.explanation_incorrect.strip()
        assert len(question.options) == 4
        assert all(o.feedback.strip() for o in question.options if not o.correct)
    text = CORRECTIONS.read_text(encoding="utf-8")
    section = text[text.index("## Final Exam"):]
    for number in range(1, 21):
        assert re.search(rf"\| FE-\d+ \| Q{number}:", section), number


def test_the_counterparts_teach_the_corrections_not_the_notes(exam: Item) -> None:
    kaggle = _question(exam, "n09-")
    assert "12 hours" in _right(kaggle) and "9 hours" not in _right(kaggle)
    lora = _question(exam, "n18-")
    assert all(fact in _right(lora) for fact in ("10,000", "3 times", "25%"))
    adam = _question(exam, "n13-")
    assert re.search(r"tun", _right(adam))
    assert any("need to choose a learning rate" in text for text in _wrong(adam))
    chatbot = _question(exam, "n03-")
    assert "window" not in _right(chatbot)
    assert any("no longer fit" in text for text in _wrong(chatbot))
    one_hot = _question(exam, "n16-")
    assert any("concentrate" in text for text in _wrong(one_hot))
