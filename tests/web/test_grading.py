"""Grading and option ordering (pure functions, no database)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buildreal.assessments import grading, ordering
from buildreal.packs.model import Option, Question, Source

SRC = Source(Path("quiz.yaml"))


def choice(qtype: str, correct: set[str]) -> Question:
    return Question(id="q", type=qtype, prompt="?", source=SRC, options=tuple(
        Option(id=oid, text=oid, correct=oid in correct) for oid in ("a", "b", "c", "d")))


def numeric(answer: float, tolerance: float = 0.0) -> Question:
    return Question(id="n", type="numeric", prompt="?", answer=answer, tolerance=tolerance,
                    source=SRC)


def test_single_choice_is_right_only_for_the_correct_option():
    q = choice("single", {"b"})
    assert grading.grade(q, grading.parse_answer(q, ["b"])).correct
    assert not grading.grade(q, grading.parse_answer(q, ["a"])).correct


def test_single_choice_refuses_two_options():
    with pytest.raises(grading.AnswerError, match="exactly one"):
        grading.parse_answer(choice("single", {"b"}), ["a", "b"])


def test_multiple_choice_needs_the_exact_set():
    q = choice("multiple", {"a", "c"})
    assert grading.grade(q, grading.parse_answer(q, ["c", "a"])).correct
    assert not grading.grade(q, grading.parse_answer(q, ["a"])).correct
    assert not grading.grade(q, grading.parse_answer(q, ["a", "c", "d"])).correct


def test_duplicate_choices_count_once():
    q = choice("multiple", {"a"})
    assert grading.parse_answer(q, ["a", "a"]) == {"options": ["a"]}


def test_unknown_option_is_refused_with_advice():
    with pytest.raises(grading.AnswerError, match="reload the page"):
        grading.parse_answer(choice("single", {"a"}), ["zz"])


def test_empty_choice_is_refused():
    with pytest.raises(grading.AnswerError, match="at least one"):
        grading.parse_answer(choice("multiple", {"a"}), [])


@pytest.mark.parametrize(("typed", "value"), [
    ("100480", 100480.0), ("100,480", 100480.0), ("100 480", 100480.0), ("-3", -3.0),
    ("\u22123", -3.0), ("1e3", 1000.0), (" 0.25 ", 0.25)])
def test_numbers_are_read_as_people_type_them(typed, value):
    assert grading.parse_number(typed) == value


@pytest.mark.parametrize("typed", ["3,5", "abc", "nan", "inf", ""])
def test_unreadable_numbers_are_refused(typed):
    with pytest.raises(grading.AnswerError):
        grading.parse_answer(numeric(1.0), [typed])


def test_numeric_tolerance_is_absolute_and_inclusive():
    q = numeric(0.29, tolerance=0.005)
    assert grading.grade(q, {"value": 0.295}).correct
    assert grading.grade(q, {"value": 0.285}).correct
    assert not grading.grade(q, {"value": 0.2951}).correct


def test_exact_numeric_forgives_float_rounding_only():
    q = numeric(0.3)
    assert grading.grade(q, {"value": 0.1 + 0.2}).correct
    assert not grading.grade(q, {"value": 0.3001}).correct


def test_score_counts_unanswered_questions_as_wrong():
    assert grading.score([True, True], 4) == 0.5
    assert grading.score([], 0) == 0.0


def test_shuffle_is_fixed_by_its_seed_and_differs_across_seeds():
    items = list(range(8))
    assert ordering.shuffled(items, "s1") == ordering.shuffled(items, "s1")
    orders = {tuple(ordering.shuffled(items, f"s{i}")) for i in range(20)}
    assert len(orders) > 10
    assert items == list(range(8))  # the input is not mutated


def test_correct_option_lands_in_every_position_across_learners():
    q = choice("single", {"a"})
    positions = {
        [o.id for o in ordering.shuffled(q.options, ordering.seed("key", "user", n))].index("a")
        for n in range(40)}
    assert positions == {0, 1, 2, 3}


@given(st.text(max_size=40))
def test_any_typed_text_gives_a_finite_number_or_a_clear_error(typed):
    try:
        answer = grading.parse_answer(numeric(1.0), [typed])
    except grading.AnswerError as exc:
        assert str(exc)
    else:
        assert math.isfinite(answer["value"])


@given(st.lists(st.text(max_size=5), max_size=6))
def test_any_submitted_choices_give_an_answer_or_a_clear_error(values):
    q = choice("multiple", {"a"})
    try:
        answer = grading.parse_answer(q, values)
    except grading.AnswerError as exc:
        assert str(exc)
    else:
        assert set(answer["options"]) <= {"a", "b", "c", "d"} and answer["options"]
