"""Content checks for the Introduction and Module 1 of "Deep Learning: Build Real Things".

The generic pack tests prove any course is well-formed. These tests pin what this course
promises its learners: four lessons of real length, each with a figure, the callouts and
a quiz and lab after it; quizzes whose single-choice questions are fair (four options,
one right); labs rich enough for the lab partner to recognise strong and weak answers;
and a module test that asks afresh rather than replaying the quizzes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support_content import assert_no_length_rank_scores, assert_right_answer_rarely_longest

from buildreal.packs.figures import build_figures
from buildreal.packs.loader import load_course, validate_course
from buildreal.packs.model import Course, Item
from buildreal.packs.snippets import python_blocks, run_snippet

COURSE_ROOT = Path(__file__).resolve().parents[2] / "courses" / "build-real-things"
LESSON_IDS = ("m1-l1", "m1-l2", "m1-l3", "m1-l4")
CALLOUTS = ("key-term", "peers-get-wrong", "takeaway", "limits")
FIGURE = re.compile(r"!\[[^\]]*\]\(figures/([A-Za-z0-9_-]+)\.(?:svg|png)\)")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.%-]*")


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_ROOT)


@pytest.fixture(scope="module")
def module_one(course: Course):
    return next(m for m in course.modules if m.id == "m1")


def _item(course: Course, item_id: str) -> Item:
    item = course.item(item_id)
    assert item is not None, f"{item_id} is missing from the course"
    return item


def prose_words(markdown: str) -> int:
    """Words a learner reads: the body without code blocks, figures or callout fences."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = FIGURE.sub(" ", text)
    text = re.sub(r"^:::.*$", " ", text, flags=re.M)
    text = re.sub(r"\]\((?:item|glossary):[^)]*\)", "]", text)
    return len(WORD.findall(text))


def _normalise(prompt: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", prompt.lower()))


def test_the_pack_validates_with_no_problems() -> None:
    _course, problems = validate_course(COURSE_ROOT)
    assert [str(p) for p in problems] == []


def test_the_course_opens_with_the_introduction_then_module_one(course: Course) -> None:
    assert [m.id for m in course.modules][:2] == ["introduction", "m1"]
    intro = course.modules[0].items
    assert [i.kind for i in intro] == ["page"]
    assert prose_words(intro[0].body) >= 300


def test_each_lesson_is_followed_by_its_quiz_and_lab_and_the_module_ends_in_a_test(
        module_one) -> None:
    expected = []
    for lesson in LESSON_IDS:
        expected += [(lesson, "lesson"), (f"{lesson}-quiz", "quiz"), (f"{lesson}-lab", "lab")]
    expected.append(("m1-test", "test"))
    assert [(i.id, i.kind) for i in module_one.items] == expected


def test_every_item_has_a_time_estimate_and_xp(course: Course) -> None:
    for item in course.items():
        assert item.minutes > 0, item.id
        if item.kind != "module-check":  # a check awards nothing itself: its parts do
            assert item.xp > 0, item.id


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_has_between_1200_and_2000_words_of_prose(course: Course,
                                                              lesson_id: str) -> None:
    words = prose_words(_item(course, lesson_id).body)
    assert 1200 <= words <= 2000, f"{lesson_id} has {words} words of prose"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_uses_every_callout_and_ends_with_a_closing_takeaway(
        course: Course, lesson_id: str) -> None:
    body = _item(course, lesson_id).body
    for kind in CALLOUTS:
        assert re.search(rf"^::: {kind}\b", body, flags=re.M), f"{lesson_id}: no {kind}"
    headings = re.findall(r"^## (.+)$", body, flags=re.M)
    assert headings[-1] == "Closing takeaway"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_shows_a_figure_drawn_by_a_script_in_the_pack(course: Course,
                                                                  lesson_id: str) -> None:
    names = FIGURE.findall(_item(course, lesson_id).body)
    assert names, f"{lesson_id} shows no figure"
    for name in names:
        assert (COURSE_ROOT / "figures" / f"{name}.py").is_file(), name


def test_every_figure_script_writes_its_figure(tmp_path: Path) -> None:
    outputs = build_figures(COURSE_ROOT, tmp_path, force=True)
    scripts = sorted(p.stem for p in (COURSE_ROOT / "figures").glob("*.py"))
    assert sorted(p.stem for p in outputs) == scripts
    for output in outputs:
        assert output.read_bytes().lstrip().startswith((b"<?xml", b"<svg")), output


def test_every_python_example_in_the_lessons_runs(course: Course) -> None:
    # Module 1's blocks; tests/packs/test_bundled_courses.py runs every module's.
    snippets = [s for s in python_blocks(course) if s.item_id.startswith("m1-")]
    assert {s.item_id for s in snippets} == set(LESSON_IDS)
    for snippet in snippets:
        ok, output = run_snippet(snippet)
        assert ok, f"{snippet}:\n{output}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_quiz_has_five_questions(course: Course, lesson_id: str) -> None:
    quiz = _item(course, f"{lesson_id}-quiz")
    assert quiz.kind == "quiz"
    assert len(quiz.assessment.questions) == 5


def test_every_single_choice_question_has_four_distinct_options_and_one_right_answer(
        module_one) -> None:
    checked = 0
    for item in module_one.items:
        if item.assessment is None:
            continue
        for q in item.assessment.questions:
            if q.type != "single":
                continue
            checked += 1
            where = f"{item.id}/{q.id}"
            assert len(q.options) == 4, where
            assert sum(o.correct for o in q.options) == 1, where
            assert len({_normalise(o.text) for o in q.options}) == 4, where
            assert q.explanation_correct.strip() and q.explanation_incorrect.strip(), where
    assert checked == 20 + 30  # four quizzes of five, and the module test's pool


def test_the_right_answer_is_not_always_in_the_same_position(course: Course) -> None:
    positions = [next(i for i, o in enumerate(q.options) if o.correct)
                 for item in course.items() if item.assessment
                 for q in item.assessment.questions if q.type == "single"]
    assert set(positions) == {0, 1, 2, 3}
    assert max(positions.count(p) for p in range(4)) <= len(positions) // 2


def test_the_right_answer_does_not_give_itself_away_by_being_the_longest(
        course: Course) -> None:
    """Test-wise learners pick the longest option; distractors must be as fully written."""
    standouts = []
    questions = [(item.id, q) for item in course.items() if item.assessment
                 for q in item.assessment.questions if q.type == "single"]
    for item_id, q in questions:
        right = next(len(o.text) for o in q.options if o.correct)
        longest_wrong = max(len(o.text) for o in q.options if not o.correct)
        if right > 1.15 * longest_wrong:
            standouts.append(f"{item_id}/{q.id}")
    assert len(standouts) <= len(questions) // 10, standouts


def test_the_right_answer_is_not_given_away_by_being_the_longest(course: Course) -> None:
    """Even a small margin tells if it always points the same way, so count wins per file.

    The check above catches a right answer that stands far out; this one catches the
    quieter pattern of it being the longest option by a few characters, question after
    question, which a learner who always picks the longest would exploit.
    """
    assert_right_answer_rarely_longest(course)


def test_no_fixed_option_length_rank_scores_forty_percent(course: Course) -> None:
    """A test-wise learner who always picks the second-longest option (or any other fixed
    length rank) must score under 40% in every quiz, test and exam."""
    assert_no_length_rank_scores(course)


def test_the_module_test_draws_fifteen_from_a_pool_of_thirty_with_an_eighty_percent_mark(
        course: Course) -> None:
    test = _item(course, "m1-test")
    assert test.kind == "test"
    assert len(test.assessment.questions) >= 30
    assert test.assessment.draw == 15
    assert test.assessment.shuffle
    assert test.assessment.pass_mark == pytest.approx(0.8)
    assert test.assessment.attempts and test.assessment.attempts >= 2
    assert test.assessment.time_limit_minutes and test.assessment.time_limit_minutes > 0


def test_the_module_test_asks_its_questions_afresh_rather_than_replaying_the_quizzes(
        course: Course) -> None:
    quiz_prompts = {_normalise(q.prompt)
                    for lesson in LESSON_IDS
                    for q in _item(course, f"{lesson}-quiz").assessment.questions}
    for q in _item(course, "m1-test").assessment.questions:
        prompt = _normalise(q.prompt)
        assert prompt not in quiz_prompts, q.id
        words = set(prompt.split())
        for other in quiz_prompts:
            overlap = len(words & set(other.split())) / len(words | set(other.split()))
            assert overlap < 0.6, f"test question {q.id} nearly repeats: {other}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lab_gives_the_partner_enough_to_judge_an_answer(course: Course,
                                                              lesson_id: str) -> None:
    lab = _item(course, f"{lesson_id}-lab").lab
    assert lab.scenario.strip() and lab.opening.strip() and lab.decision_prompt.strip()
    assert len(lab.choices) >= 2 and all(c.aliases for c in lab.choices)
    assert set(lab.defensible) <= {c.id for c in lab.choices}
    assert 4 <= len(lab.rubric) <= 6
    for concept in lab.rubric:
        assert len(concept.keywords) >= 8, concept.id
        assert 2 <= len(concept.strong) <= 3, concept.id
        assert len(concept.weak) >= 2, concept.id
        assert concept.description and concept.probe and concept.acknowledge, concept.id
    assert len(lab.misconceptions) >= 3
    for misconception in lab.misconceptions:
        assert len(misconception.triggers) >= 3, misconception.id
        assert misconception.pushback.strip(), misconception.id
    assert lab.challenges
    assert len(lab.hints) == 3
    assert lab.completion.require_commitment
    assert 3 <= lab.completion.min_concepts <= len(lab.rubric)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_strong_example_statements_mention_their_concepts_keywords(course: Course,
                                                                   lesson_id: str) -> None:
    """A strong example the partner cannot match to its own keywords would teach it nothing."""
    for concept in _item(course, f"{lesson_id}-lab").lab.rubric:
        for statement in concept.strong:
            text = statement.lower()
            assert any(k.lower() in text for k in concept.keywords), (concept.id, statement)


def test_lesson_one_credits_alexnet_and_human_level_imagenet_correctly(course: Course) -> None:
    body = _item(course, "m1-l1").body
    assert "University of Toronto" in body
    assert "Krizhevsky" in body and "Sutskever" in body and "Hinton" in body
    assert "Microsoft Research" in body and "4.94%" in body and "5.1%" in body


def test_lesson_two_dates_backpropagation_before_1986(course: Course) -> None:
    body = _item(course, "m1-l2").body
    for name in ("Linnainmaa", "1970", "Werbos", "1974", "Rumelhart", "Williams", "1986"):
        assert name in body, name
