"""Content checks for Module 3 of "Deep Learning: Build Real Things" (PyTorch and compute).

The generic pack tests prove the course is well-formed and that every executed block and
figure script runs. These tests pin what Module 3 promises its learners: five lessons
with executed code, a predict-then-run exercise and a figure each; fair quizzes whose
right answer no fixed length rank gives away; two labs rich enough for the lab partner;
a drawn module test; a module check with a capstone; and the facts the module corrects
(Kaggle's session limits, the real missing-super error).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from buildreal.packs.execute import executed_code
from buildreal.packs.loader import load_course
from buildreal.packs.model import Course, Item, Module

COURSE_ROOT = Path(__file__).resolve().parents[2] / "courses" / "build-real-things"
LESSON_IDS = ("m3-l1", "m3-l2", "m3-l3", "m3-l4", "m3-l5")
LAB_IDS = ("m3-l3-lab", "m3-l4-lab")
CALLOUTS = ("key-term", "peers-get-wrong", "takeaway", "limits", "predict")
FIGURE = re.compile(r"!\[[^\]]*\]\(figures/([A-Za-z0-9_-]+)\.(?:svg|png)\)")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.%-]*")
RANDOM_DRAW = re.compile(r"torch\.(?:randn|randint|rand|randperm)\(")


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_ROOT)


@pytest.fixture(scope="module")
def module_three(course: Course) -> Module:
    return next(m for m in course.modules if m.id == "m3")


def _item(course: Course, item_id: str) -> Item:
    item = course.item(item_id)
    assert item is not None, f"{item_id} is missing from the course"
    return item


def prose_words(markdown: str) -> int:
    """Words a learner reads: the body without code, figures or callout fences."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = FIGURE.sub(" ", text)
    text = re.sub(r"^:::.*$", " ", text, flags=re.M)
    return len(WORD.findall(text))


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _length_rank_of_right_option(options) -> int:
    """0 if the right option is the longest, 1 if second longest, and so on."""
    order = sorted(range(len(options)), key=lambda i: -len(options[i].text))
    return order.index(next(i for i, o in enumerate(options) if o.correct))


def test_module_three_comes_after_modules_one_and_two(course: Course) -> None:
    ids = [m.id for m in course.modules]
    assert ids[:2] == ["introduction", "m1"] and "m3" in ids
    if "m2" in ids:
        assert ids.index("m2") < ids.index("m3")


def test_lessons_quizzes_labs_test_and_check_come_in_order(module_three: Module) -> None:
    expected = []
    for lesson in LESSON_IDS:
        expected += [(lesson, "lesson"), (f"{lesson}-quiz", "quiz")]
        if f"{lesson}-lab" in LAB_IDS:
            expected.append((f"{lesson}-lab", "lab"))
    expected += [("m3-test", "test"), ("m3-cards", "flashcards"), ("m3-check-quiz", "quiz"),
                 ("m3-synthesis", "synthesis"), ("m3-capstone", "capstone"),
                 ("m3-check", "module-check")]
    assert [(i.id, i.kind) for i in module_three.items] == expected


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_has_between_1100_and_2000_words_of_prose(course: Course,
                                                              lesson_id: str) -> None:
    words = prose_words(_item(course, lesson_id).body)
    assert 1100 <= words <= 2000, f"{lesson_id} has {words} words of prose"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_uses_every_callout_and_ends_with_a_closing_takeaway(
        course: Course, lesson_id: str) -> None:
    body = _item(course, lesson_id).body
    for kind in CALLOUTS:
        assert re.search(rf"^::: {kind}\b", body, flags=re.M), f"{lesson_id}: no {kind}"
    assert re.findall(r"^## (.+)$", body, flags=re.M)[-1] == "Closing takeaway"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_shows_a_figure_drawn_by_a_module_three_script(course: Course,
                                                                   lesson_id: str) -> None:
    names = FIGURE.findall(_item(course, lesson_id).body)
    assert names, f"{lesson_id} shows no figure"
    for name in names:
        assert name.startswith("m3_"), name
        assert (COURSE_ROOT / "figures" / f"{name}.py").is_file(), name


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_shows_executed_output_and_asks_for_a_prediction(course: Course,
                                                                     lesson_id: str) -> None:
    blocks = executed_code(_item(course, lesson_id).body)
    assert any(not predict for _code, _line, predict in blocks), f"{lesson_id}: no exec block"
    assert any(predict for _code, _line, predict in blocks), f"{lesson_id}: no predict block"


def test_executed_code_that_draws_random_numbers_is_seeded(module_three: Module) -> None:
    for item in module_three.items:
        for code, line, _predict in executed_code(item.body) if item.body else []:
            if RANDOM_DRAW.search(code):
                assert "manual_seed" in code, f"{item.id} block at body line {line} is not seeded"


def test_the_missing_super_init_block_prints_pytorchs_real_error(course: Course) -> None:
    blocks = [code for code, _line, _p in executed_code(_item(course, "m3-l2").body)
              if "super().__init__() is missing" in code]
    assert len(blocks) == 1
    result = subprocess.run([sys.executable, "-c", blocks[0]], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "cannot assign module before Module.__init__() call" in result.stdout


def test_lesson_four_gives_kaggles_published_limits_with_a_date(course: Course) -> None:
    body = _item(course, "m3-l4").body
    assert "**12 hours**" in body and "**9 hours**" in body
    assert "December 2026" in body and "check the current" in body.lower()
    assert "kaggle.com/docs/notebooks" in body and "kaggle.com/docs/efficient-gpu-usage" in body
    assert "Change runtime type" in body


def test_lesson_five_names_the_sources_of_its_adoption_numbers(course: Course) -> None:
    body = _item(course, "m3-l5").body
    for fact in ("The Gradient", "October 2019", "69%", "State of AI Report 2020", "47%",
                 "July 2025"):
        assert fact in body, fact


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_quiz_has_four_choice_questions_and_a_numeric_one(course: Course,
                                                                      lesson_id: str) -> None:
    questions = _item(course, f"{lesson_id}-quiz").assessment.questions
    assert len(questions) == 5
    assert [q.type for q in questions].count("numeric") == 1


def test_every_choice_question_is_fair_and_explains_each_wrong_option(
        module_three: Module) -> None:
    checked = 0
    for item in module_three.items:
        for q in item.assessment.questions if item.assessment else ():
            if q.type == "numeric":
                assert q.answer is not None and q.explanation_correct, f"{item.id}/{q.id}"
                continue
            checked += 1
            where = f"{item.id}/{q.id}"
            assert len(q.options) == 4 and sum(o.correct for o in q.options) == 1, where
            assert len({_normalise(o.text) for o in q.options}) == 4, where
            assert all(o.feedback.strip() for o in q.options if not o.correct), where
            assert q.explanation_correct.strip() and q.explanation_incorrect.strip(), where
    assert checked >= 50


def test_no_fixed_length_rank_finds_the_right_answer_in_any_assessment(
        module_three: Module) -> None:
    """Always picking the longest (or second longest, ...) option must not pay off."""
    for item in module_three.items:
        if item.assessment is None:
            continue
        choice = [q for q in item.assessment.questions if q.type != "numeric"]
        ranks = [_length_rank_of_right_option(q.options) for q in choice]
        for rank in range(4):
            assert ranks.count(rank) / len(ranks) < 0.4, (item.id, rank, ranks)


def test_the_module_test_draws_fifteen_from_a_pool_of_thirty_or_more(course: Course) -> None:
    test = _item(course, "m3-test").assessment
    assert len(test.questions) >= 30 and test.draw == 15
    assert test.pass_mark == pytest.approx(0.8) and test.attempts == 3 and test.shuffle
    assert test.time_limit_minutes and test.time_limit_minutes > 0
    assert sum(q.type == "numeric" for q in test.questions) >= 3


def test_the_module_test_asks_afresh_rather_than_replaying_the_quizzes(course: Course) -> None:
    quiz_prompts = [_normalise(q.prompt)
                    for quiz in (*(f"{lesson}-quiz" for lesson in LESSON_IDS), "m3-check-quiz")
                    for q in _item(course, quiz).assessment.questions]
    for q in _item(course, "m3-test").assessment.questions:
        words = set(_normalise(q.prompt).split())
        for other in quiz_prompts:
            overlap = len(words & set(other.split())) / len(words | set(other.split()))
            assert overlap < 0.6, f"test question {q.id} nearly repeats: {other}"


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_each_lab_gives_the_partner_enough_to_judge_an_answer(course: Course,
                                                              lab_id: str) -> None:
    lab = _item(course, lab_id).lab
    assert lab.scenario.strip() and lab.opening.strip() and lab.decision_prompt.strip()
    assert len(lab.choices) >= 3 and all(c.aliases for c in lab.choices)
    assert set(lab.defensible) < {c.id for c in lab.choices}
    assert 4 <= len(lab.rubric) <= 6
    for concept in lab.rubric:
        assert len(concept.keywords) >= 8, concept.id
        assert 2 <= len(concept.strong) <= 3 and len(concept.weak) >= 2, concept.id
        assert concept.description and concept.probe and concept.acknowledge, concept.id
        for statement in concept.strong:
            assert any(k.lower() in statement.lower() for k in concept.keywords), statement
    assert len(lab.misconceptions) >= 3
    assert all(len(m.triggers) >= 3 and m.pushback.strip() for m in lab.misconceptions)
    assert lab.challenges and len(lab.hints) == 3
    assert lab.completion.require_commitment
    assert 3 <= lab.completion.min_concepts <= len(lab.rubric)


def test_the_module_check_reviews_the_module_and_ends_in_a_debugging_capstone(
        course: Course) -> None:
    check = _item(course, "m3-check").check
    assert check.parts == ("m3-cards", "m3-check-quiz", "m3-synthesis", "m3-capstone")
    assert prose_words(check.overview) >= 100
    cards = _item(course, "m3-cards").cards
    assert len(cards) >= 12 and sum(c.worked for c in cards) >= 3
    capstone = _item(course, "m3-capstone").capstone
    assert "debugging report" in capstone.brief
    assert 4 <= len(capstone.rubric) <= 6
    assert all(len(c.keywords) >= 8 and c.probe for c in capstone.rubric)
    assert len(capstone.objections) >= 3 and capstone.revision_prompt.strip()
    assert len(capstone.required_sections) >= 4
