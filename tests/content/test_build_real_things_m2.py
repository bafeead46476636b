"""Content checks for Module 2 of "Deep Learning: Build Real Things" (deep networks).

tests/content/test_build_real_things_modules.py holds every later module to the course's
shared rules, and tests/packs runs every executed block and figure script. These tests
pin what Module 2 itself promises (issue 17): five lessons in order with three labs, a
module test and a module check; numeric questions with tolerances in every quiz; the
notes' six flashcards with answers that follow from their own numbers; numeric answers
that agree with autograd; a capstone whose stated parameter count matches its stated
architecture; and the corrections of the notes (Adam still needs its learning rate tuned).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import torch

from buildreal.packs.loader import load_course
from buildreal.packs.model import Course, Item

ROOT = Path(__file__).resolve().parents[2]
COURSE_ROOT = ROOT / "courses" / "build-real-things"
LESSON_IDS = ("m2-l1", "m2-l2", "m2-l3", "m2-l4", "m2-l5")
LAB_IDS = ("m2-l2-lab", "m2-l4-lab", "m2-l5-lab")
NUMBER = r"[−-]?\d+(?:\.\d+)?"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_ROOT)


def _item(course: Course, item_id: str) -> Item:
    item = course.item(item_id)
    assert item is not None, f"{item_id} is missing from the course"
    return item


def _card(course: Course, card_id: str):
    cards = {card.id: card for card in _item(course, "m2-cards").cards}
    assert card_id in cards, f"m2-cards has no card {card_id}"
    return cards[card_id]


def _numbers(text: str) -> list[float]:
    return [float(n.replace("−", "-")) for n in re.findall(NUMBER, text)]


def _bold(text: str) -> list[str]:
    return re.findall(r"\*\*([^*]+)\*\*", text)


def test_module_two_comes_right_after_module_one(course: Course) -> None:
    ids = [m.id for m in course.modules]
    assert ids.index("m2") == ids.index("m1") + 1


def test_lessons_quizzes_labs_test_and_check_come_in_order(course: Course) -> None:
    expected = []
    for lesson in LESSON_IDS:
        expected += [(lesson, "lesson"), (f"{lesson}-quiz", "quiz")]
        if f"{lesson}-lab" in LAB_IDS:
            expected.append((f"{lesson}-lab", "lab"))
    expected += [("m2-test", "test"), ("m2-cards", "flashcards"), ("m2-check-quiz", "quiz"),
                 ("m2-synthesis", "synthesis"), ("m2-capstone", "capstone"),
                 ("m2-check", "module-check")]
    module = next(m for m in course.modules if m.id == "m2")
    assert [(i.id, i.kind) for i in module.items] == expected


@pytest.mark.parametrize("quiz_id", [f"{lesson}-quiz" for lesson in LESSON_IDS])
def test_each_quiz_asks_for_at_least_one_number_with_a_tolerance(course: Course,
                                                                 quiz_id: str) -> None:
    numeric = [q for q in _item(course, quiz_id).assessment.questions if q.type == "numeric"]
    assert numeric, f"{quiz_id} has no numeric question"
    assert all(q.answer is not None and q.tolerance >= 0 for q in numeric)


def test_the_module_test_pool_mixes_numbers_and_choices(course: Course) -> None:
    questions = _item(course, "m2-test").assessment.questions
    numeric = sum(q.type == "numeric" for q in questions)
    assert 5 <= numeric <= len(questions) - 20


def test_the_relu_card_answers_with_the_activation_its_own_numbers_give(course: Course) -> None:
    card = _card(course, "relu-neuron")
    weights, inputs = (_numbers(group) for group in re.findall(r"\[([^\]]+)\]", card.front))
    bias = _numbers(re.search(rf"bias ({NUMBER})", card.front).group(1))[0]
    z = sum(w * x for w, x in zip(weights, inputs, strict=True)) + bias
    assert card.worked
    assert _numbers(_bold(card.back)[0]) == [max(0.0, z)]


def test_the_weight_gradient_card_is_delta_times_the_sending_activation(course: Course) -> None:
    card = _card(course, "delta-weight-gradient")
    delta = _numbers(re.search(rf"δ = ({NUMBER})", card.front).group(1))[0]
    h_k = _numbers(re.search(rf"h_k = ({NUMBER})", card.front).group(1))[0]
    weight = _numbers(re.search(rf"W = ({NUMBER})", card.front).group(1))[0]
    assert card.worked
    assert _numbers(_bold(card.back)[0]) == [pytest.approx(delta * h_k)]
    assert delta * h_k != pytest.approx(delta * weight)  # the weight's value is the trap


def test_the_notes_six_cards_come_first_and_answer_the_conceptual_ones(course: Course) -> None:
    cards = _item(course, "m2-cards").cards
    assert [c.id for c in cards[:6]] == ["relu-neuron", "regression-loss",
                                         "delta-weight-gradient", "weight-decay-trade",
                                         "minibatch-better", "no-activations-depth"]
    assert "**One layer.**" in _card(course, "no-activations-depth").back
    assert "overfitting" in _card(course, "weight-decay-trade").back
    assert "mean squared error" in _card(course, "regression-loss").back
    assert len(cards) >= 16


def test_the_init_loss_card_gives_ln_five(course: Course) -> None:
    card = _card(course, "init-loss-five")
    assert f"{math.log(5):.3f}" in card.back


def _lesson_one_network() -> dict[str, torch.Tensor]:
    """Lesson 1's worked network (its inputs, not its results)."""
    return {
        "x": torch.tensor([1.0, 2.0]),
        "W1": torch.tensor([[0.5, -0.2], [-0.3, 0.8], [1.0, 0.4]], requires_grad=True),
        "b1": torch.tensor([0.1, -0.5, -2.0], requires_grad=True),
        "W2": torch.tensor([[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]], requires_grad=True),
        "b2": torch.tensor([0.0, 0.2], requires_grad=True),
    }


def _backward(true_class: int) -> dict[str, torch.Tensor]:
    net = _lesson_one_network()
    z1 = net["W1"] @ net["x"] + net["b1"]
    z2 = net["W2"] @ torch.relu(z1) + net["b2"]
    loss = torch.nn.functional.cross_entropy(z2.unsqueeze(0), torch.tensor([true_class]))
    loss.backward()
    return {"loss": loss.detach(), "z2": z2.detach(), **net}


def test_lesson_one_and_four_state_the_numbers_autograd_computes(course: Course) -> None:
    result = _backward(true_class=0)
    lesson_one = _item(course, "m2-l1").body
    lesson_four = _item(course, "m2-l4").body
    assert "(-0.6, 1.1)" in lesson_one
    assert result["z2"].tolist() == pytest.approx([-0.6, 1.1])
    assert f"{result['loss'].item():.3f}" in lesson_four  # 1.868
    for value in result["W1"].grad.flatten().tolist():
        if value:
            assert f"{value:.4f}" in lesson_four, value


def test_the_cross_lesson_backprop_question_agrees_with_autograd(course: Course) -> None:
    question = next(q for q in _item(course, "m2-check-quiz").assessment.questions
                    if q.id == "backprop-other-class")
    grad = _backward(true_class=1)["W1"].grad[1, 1].item()  # input 2 -> hidden unit 2
    assert abs(question.answer - grad) <= question.tolerance


def test_the_capstone_parameter_count_matches_its_architecture(course: Course) -> None:
    capstone = _item(course, "m2-capstone").capstone
    assert "200 numerical features" in capstone.brief and "5 sound categories" in capstone.brief
    assert list(capstone.required_sections) == ["Problem", "Architecture", "Loss", "Optimiser",
                                               "Regularisation", "Training curves",
                                               "Failure mode"]
    concept = next(c for c in capstone.rubric if c.id == "architecture-shapes")
    sizes = [int(n) for n in re.search(r"(\d+(?: → \d+)+)", concept.description)
             .group(1).split(" → ")]
    assert sizes[0] == 200 and sizes[-1] == 5
    count = sum(a * b + b for a, b in zip(sizes, sizes[1:], strict=False))
    assert f"{count:,}" in concept.description


def test_lesson_three_says_adam_still_needs_its_learning_rate_tuned(course: Course) -> None:
    body = _item(course, "m2-l3").body
    assert "still needs its learning rate tuned" in " ".join(body.split())
    assert "Wilson" in body and "AdamW" in body and "Kingma" in body
    assert "does not choose the learning rate" in _card(course, "adam").back


def test_corrections_record_module_two_with_the_exam_questions_it_covers() -> None:
    text = (COURSE_ROOT / "CORRECTIONS.md").read_text(encoding="utf-8")
    section = text.split("## Module 2", 1)[1].split("\n## ", 1)[0]
    for needle in ("12", "13", "15", "Kingma", "Belkin", "Huber"):
        assert needle in section, needle
