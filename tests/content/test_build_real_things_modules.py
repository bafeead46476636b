"""What every module after Module 1 of "Deep Learning: Build Real Things" keeps to.

The modules are written by different people at different times, so the course's shared
promises are checked once, for every numbered module from 2 on, and each must have its
module test and module check: ids carry the module prefix; each lesson has a computed
figure from the module's own script, executed code, a predict-then-run exercise, every
callout and a closing takeaway, and is followed by its five-question quiz; random numbers
in executed code are seeded; the module test draws 15 from a pool of 30 or more with the
course's settings and asks afresh; labs are rich enough for the partner; and a module
check comes after its parts, one of each kind. Module-specific facts live in each
module's own test file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buildreal.packs.execute import executed_code
from buildreal.packs.loader import load_course
from buildreal.packs.model import Course, Item, Module

COURSE_ROOT = Path(__file__).resolve().parents[2] / "courses" / "build-real-things"
CALLOUTS = ("key-term", "peers-get-wrong", "takeaway", "limits")
FIGURE = re.compile(r"!\[[^\]]*\]\(figures/([A-Za-z0-9_-]+)\.(?:svg|png)\)")
RANDOM_DRAW = re.compile(r"torch\.(?:randn|randint|rand|randperm)\(|np\.random\.")
CHECK_PART_KINDS = ("flashcards", "quiz", "synthesis", "capstone")


def _numbered_modules() -> list[Module]:
    course = load_course(COURSE_ROOT)
    return [m for m in course.modules if re.fullmatch(r"m([2-9]|\d\d)", m.id)]


MODULES = _numbered_modules()
MODULE_IDS = [m.id for m in MODULES]


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_ROOT)


def _module(course: Course, module_id: str) -> Module:
    return next(m for m in course.modules if m.id == module_id)


def _lessons(module: Module) -> list[Item]:
    return [i for i in module.items if i.kind == "lesson"]


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_modules_after_module_one_exist_and_come_in_order(course: Course) -> None:
    ids = [m.id for m in course.modules]
    assert ids[:2] == ["introduction", "m1"]
    assert MODULE_IDS, "no module after Module 1 to check"
    numbered = [int(i[1:]) for i in ids if re.fullmatch(r"m\d+", i)]
    assert numbered == sorted(numbered)


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_every_item_id_starts_with_its_module_id(course: Course, module_id: str) -> None:
    for item in _module(course, module_id).items:
        assert item.id.startswith(f"{module_id}-"), item.id


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_each_lesson_has_its_own_figure_executed_code_a_prediction_and_every_callout(
        course: Course, module_id: str) -> None:
    lessons = _lessons(_module(course, module_id))
    assert lessons, f"{module_id} has no lesson yet"
    for lesson in lessons:
        body = lesson.body
        names = FIGURE.findall(body)
        assert names, f"{lesson.id} shows no figure"
        for name in names:
            assert name.startswith(f"{module_id}_"), f"{lesson.id}: figure {name} lacks prefix"
            assert (COURSE_ROOT / "figures" / f"{name}.py").is_file(), name
        blocks = executed_code(body)
        assert any(not predict for _c, _l, predict in blocks), f"{lesson.id}: no exec block"
        assert any(predict for _c, _l, predict in blocks), f"{lesson.id}: no predict block"
        for kind in CALLOUTS:
            assert re.search(rf"^::: {kind}\b", body, flags=re.M), f"{lesson.id}: no {kind}"
        assert re.findall(r"^## (.+)$", body, flags=re.M)[-1] == "Closing takeaway", lesson.id


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_each_lesson_is_followed_by_its_quiz_of_five_questions(course: Course,
                                                               module_id: str) -> None:
    items = list(_module(course, module_id).items)
    for index, item in enumerate(items):
        if item.kind != "lesson":
            continue
        quiz = items[index + 1] if index + 1 < len(items) else None
        assert quiz is not None and quiz.id == f"{item.id}-quiz", f"{item.id} has no quiz after it"
        assert quiz.kind == "quiz" and len(quiz.assessment.questions) == 5, quiz.id


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_executed_code_that_draws_random_numbers_is_seeded(course: Course,
                                                           module_id: str) -> None:
    for item in _module(course, module_id).items:
        for code, line, _predict in executed_code(item.body) if item.body else []:
            if RANDOM_DRAW.search(code):
                assert re.search(r"manual_seed|default_rng\(\d|Generator\(\)\.manual_seed",
                                 code), f"{item.id}: block at body line {line} is not seeded"


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_the_module_test_draws_fifteen_from_a_pool_of_thirty_with_the_course_settings(
        course: Course, module_id: str) -> None:
    test = course.item(f"{module_id}-test")
    assert test is not None, f"{module_id} has no module test ({module_id}-test)"
    assessment = test.assessment
    assert test.kind == "test"
    assert assessment.draw == 15 and len(assessment.questions) >= 30
    assert assessment.pass_mark == pytest.approx(0.8)
    assert assessment.attempts == 3 and assessment.shuffle


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_the_module_test_asks_afresh_rather_than_replaying_its_quizzes(
        course: Course, module_id: str) -> None:
    test = course.item(f"{module_id}-test")
    assert test is not None, f"{module_id} has no module test ({module_id}-test)"
    quiz_prompts = {_normalise(q.prompt) for item in _module(course, module_id).items
                    if item.kind == "quiz" for q in item.assessment.questions}
    for q in test.assessment.questions:
        words = set(_normalise(q.prompt).split())
        for other in quiz_prompts:
            overlap = len(words & set(other.split())) / len(words | set(other.split()))
            assert overlap < 0.6, f"{test.id}/{q.id} nearly repeats: {other}"


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_each_lab_gives_the_partner_enough_to_judge_an_answer(course: Course,
                                                              module_id: str) -> None:
    for item in _module(course, module_id).items:
        if item.kind != "lab":
            continue
        lab = item.lab
        assert lab.scenario.strip() and lab.opening.strip() and lab.decision_prompt.strip()
        assert len(lab.choices) >= 2 and all(c.aliases for c in lab.choices), item.id
        assert lab.defensible and set(lab.defensible) <= {c.id for c in lab.choices}
        assert 4 <= len(lab.rubric) <= 6, item.id
        for concept in lab.rubric:
            assert len(concept.keywords) >= 8, (item.id, concept.id)
            assert len(concept.strong) >= 2 and len(concept.weak) >= 2, (item.id, concept.id)
            assert concept.probe and concept.description, (item.id, concept.id)
            for statement in concept.strong:  # the partner must recognise its own examples
                assert any(k.lower() in statement.lower() for k in concept.keywords), statement
        assert len(lab.misconceptions) >= 3, item.id
        assert all(len(m.triggers) >= 3 and m.pushback.strip() for m in lab.misconceptions)
        assert lab.completion.require_commitment, item.id
        assert 3 <= lab.completion.min_concepts <= len(lab.rubric), item.id


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_the_module_check_follows_its_parts_one_of_each_kind(course: Course,
                                                             module_id: str) -> None:
    items = list(_module(course, module_id).items)
    checks = [i for i in items if i.kind == "module-check"]
    assert checks, f"{module_id} has no module check"
    assert len(checks) == 1 and checks[0].id == f"{module_id}-check"
    check = checks[0]
    position = {item.id: index for index, item in enumerate(items)}
    parts = [course.item(part_id) for part_id in check.check.parts]
    assert all(part is not None for part in parts), check.check.parts
    assert all(position[part.id] < position[check.id] for part in parts)
    assert sorted(part.kind for part in parts) == sorted(CHECK_PART_KINDS)
    assert check.check.overview.strip()
    capstone = next(part for part in parts if part.kind == "capstone").capstone
    assert capstone.required_sections and len(capstone.objections) >= 2
    assert capstone.revision_prompt.strip()


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_worked_flashcards_show_the_numbers_they_work_with(course: Course,
                                                           module_id: str) -> None:
    for item in _module(course, module_id).items:
        if item.kind != "flashcards":
            continue
        worked = [card for card in item.cards if card.worked]
        assert worked, f"{item.id} has no worked card"
        for card in worked:
            assert re.search(r"\d", card.back), f"{item.id}/{card.id} shows no number"
