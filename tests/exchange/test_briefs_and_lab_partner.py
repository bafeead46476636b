"""The pure pieces of the exchange and the flashcards (no Django, no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from buildreal.capstones import briefs, labpartner
from buildreal.flashcards import cards, schedule
from buildreal.packs.loader import load_course
from buildreal.tutor import LexicalMatcher

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample-pack"


@pytest.fixture(scope="module")
def course():
    return load_course(SAMPLE)


def test_clean_refuses_nul_over_long_and_empty_text_naming_the_field() -> None:
    with pytest.raises(briefs.InputError, match="The response contains a NUL character"):
        briefs.clean("a\x00b", "response", 100)
    with pytest.raises(briefs.InputError, match="The brief is 101 characters long; the "
                                                "limit is 100"):
        briefs.clean("x" * 101, "brief", 100)
    with pytest.raises(briefs.InputError, match="The objection 1 is empty"):
        briefs.clean("  \n", "objection 1", 100)
    assert briefs.clean("a\r\nb", "brief", 100) == "a\nb"


def test_word_count_and_checklist_follow_headings_in_any_case_and_level() -> None:
    text = "# Model\nA small CNN, 4 layers.\n\n### data split:\ntext"
    assert briefs.word_count(text) == 9
    assert briefs.checklist(text, ("Model", "Data split", "Stopping rule")) == [
        ("Model", True), ("Data split", True), ("Stopping rule", False)]


def test_diff_marks_removed_and_added_lines_and_keeps_the_rest() -> None:
    rows = briefs.diff("one\ntwo\nthree", "one\n2\nthree")
    assert [(r.kind, r.text) for r in rows] == [
        ("same", "one"), ("removed", "two"), ("added", "2"), ("same", "three")]


def test_pseudonyms_are_stable_and_differ_between_keys() -> None:
    assert briefs.pseudonym("k:1") == briefs.pseudonym("k:1")
    assert len({briefs.pseudonym(f"k:{n}") for n in range(20)}) > 5


BRIEF = ("# Model\nA CNN from scratch.\n\n# Data split\nA validation set and a test set held "
         "out from training.\n\n# Stopping rule\nFifty epochs.\n")


def test_the_lab_partner_objects_to_what_the_brief_misses_and_names_the_part(course) -> None:
    capstone = course.item("m2-capstone").capstone
    raised = labpartner.raise_objections(capstone, BRIEF, LexicalMatcher())
    assert [(o.concept_id, o.part) for o in raised] == [("transfer", "Model"),
                                                         ("stopping", "Stopping rule")]
    assert "Would you train from scratch on 1,500 photos?" in raised[0].text


def test_the_lab_partner_reads_whether_a_response_answers(course) -> None:
    capstone = course.item("m2-capstone").capstone
    matcher = LexicalMatcher()
    assert labpartner.answered(capstone, "stopping", "Early stopping on validation loss; "
                               "keep the best epoch's weights.", matcher) == "answered"
    assert labpartner.answered(capstone, "stopping", "It will be fine.", matcher) == \
        "not answered"


def test_an_llm_failure_falls_back_to_the_offline_wording(course) -> None:
    from buildreal.tutor import BackendError

    class Broken:
        name = "broken"

        def stream(self, request):
            raise BackendError("down")
            yield ""  # pragma: no cover

    capstone = course.item("m2-capstone").capstone
    raised = labpartner.raise_objections(capstone, BRIEF, LexicalMatcher(), Broken())
    assert raised[0].text.startswith("Your brief does not address")


def test_schedule_follows_the_fsrs_library_with_fuzz_off() -> None:
    at = datetime(2026, 5, 1, 8, tzinfo=UTC)
    state, due = schedule.review(schedule.new_state(at), 3, at)
    card, _ = Scheduler(enable_fuzzing=False).review_card(Card(card_id=1, due=at),
                                                           Rating.Good, review_datetime=at)
    assert due == card.due
    with pytest.raises(ValueError, match="rating must be 1"):
        schedule.review(state, 5, at)


def test_a_mistake_card_shows_the_prompt_in_front_and_the_answer_on_the_back(course) -> None:
    quiz = course.item("m1-l1-quiz")
    numeric = next(q for q in quiz.assessment.questions if q.type == "numeric")
    face = cards.mistake_face(quiz, numeric)
    assert face.front == numeric.prompt and "0.29" in face.back
    assert numeric.explanation_correct in face.back
