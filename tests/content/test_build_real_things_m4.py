"""Content checks for Module 4 of "Deep Learning: Build Real Things" (modern deep learning).

tests/content/test_build_real_things_modules.py holds every later module to the course's
shared rules. These tests pin what Module 4 itself promises (issue 19): eight lessons in
order with four labs, a module test and a module check; a numeric question in every
quiz, whose answers agree with PyTorch; the filter's multiply count for both paddings;
LoRA described only by what its paper measured; reliability diagrams read the right way
round; a real two-process DDP run; and the capstone's three scenarios and five sections.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from buildreal.packs.execute import executed_code
from buildreal.packs.loader import load_course
from buildreal.packs.model import Course, Item

COURSE_ROOT = Path(__file__).resolve().parents[2] / "courses" / "build-real-things"
LESSON_IDS = tuple(f"m4-l{n}" for n in range(1, 9))
LAB_IDS = ("m4-l3-lab", "m4-l6-lab", "m4-l7-lab", "m4-l8-lab")


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_ROOT)


def _item(course: Course, item_id: str) -> Item:
    item = course.item(item_id)
    assert item is not None, f"{item_id} is missing from the course"
    return item


def _question(course: Course, item_id: str, question_id: str):
    questions = {q.id: q for q in _item(course, item_id).assessment.questions}
    assert question_id in questions, f"{item_id} has no question {question_id}"
    return questions[question_id]


def _module_text(course: Course) -> str:
    module = next(m for m in course.modules if m.id == "m4")
    parts = []
    for item in module.items:
        parts.append(item.body or "")
        if item.assessment is not None:
            for q in item.assessment.questions:
                parts += [q.prompt, q.explanation_correct, q.explanation_incorrect]
                parts += [o.text for o in q.options if o.correct]
    return re.sub(r"\s+", " ", " ".join(parts))


def test_module_four_follows_module_three_with_eight_lessons_and_four_labs(
        course: Course) -> None:
    ids = [m.id for m in course.modules]
    assert ids.index("m4") == ids.index("m3") + 1
    items = [i.id for i in next(m for m in course.modules if m.id == "m4").items]
    assert [i for i in items if re.fullmatch(r"m4-l\d", i)] == list(LESSON_IDS)
    assert [i for i in items if i.endswith("-lab")] == list(LAB_IDS)
    assert items[-6:] == ["m4-test", "m4-cards", "m4-check-quiz", "m4-synthesis",
                          "m4-capstone", "m4-check"]


def _prose_words(markdown: str) -> int:
    """Words a learner reads, counted as Module 3 counts them: the body without code,
    figures or callout fences."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\(figures/[A-Za-z0-9_-]+\.(?:svg|png)\)", " ", text)
    text = re.sub(r"^:::.*$", " ", text, flags=re.M)
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.%-]*", text))


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_has_between_1100_and_2000_words_of_prose(course: Course,
                                                              lesson_id: str) -> None:
    words = _prose_words(_item(course, lesson_id).body)
    assert 1100 <= words <= 2000, f"{lesson_id} has {words} words of prose"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_lesson_quiz_asks_at_least_one_numeric_question(course: Course,
                                                              lesson_id: str) -> None:
    quiz = _item(course, f"{lesson_id}-quiz").assessment
    assert any(q.type == "numeric" for q in quiz.questions), lesson_id


def test_convolution_answers_agree_with_pytorch(course: Course) -> None:
    out = F.conv2d(torch.zeros(1, 1, 128, 128), torch.zeros(1, 1, 5, 5))
    assert _question(course, "m4-l1-quiz", "multiply-count-5x5").answer == out[0, 0].numel() * 25
    layer = nn.Conv2d(16, 32, kernel_size=3)
    assert _question(course, "m4-test", "conv2d-16-32").answer == sum(
        p.numel() for p in layer.parameters())
    lstm = nn.LSTM(input_size=10, hidden_size=20)
    assert _question(course, "m4-l2-quiz", "lstm-params").answer == sum(
        p.numel() for p in lstm.parameters())


def test_the_filter_count_is_given_for_both_paddings_and_accepted_either_way(
        course: Course) -> None:
    unpadded = F.conv2d(torch.zeros(1, 1, 256, 256), torch.zeros(1, 1, 3, 3))[0, 0].numel() * 9
    padded = F.conv2d(torch.zeros(1, 1, 256, 256), torch.zeros(1, 1, 3, 3),
                      padding=1)[0, 0].numel() * 9
    assert (unpadded, padded) == (580_644, 589_824)
    q = _question(course, "m4-check-quiz", "filter-256")
    assert abs(q.answer - unpadded) <= q.tolerance and abs(q.answer - padded) <= q.tolerance
    back = next(c.back for c in _item(course, "m4-cards").cards if c.id == "filter-multiplies")
    assert "580{,}644" in back and "589{,}824" in back


def test_lora_is_credited_only_with_what_its_paper_measured(course: Course) -> None:
    lesson = re.sub(r"\s+", " ", _item(course, "m4-l5").body)
    for claim in (r"10,000 times", r"3 times less GPU memory|about 3 times", r"25% faster"):
        assert re.search(claim, lesson), claim
    overclaims = [s for s in re.split(r"(?<=[.!?])\s+", _module_text(course))
                  if re.search(r"10,000\s*(?:times|×)\s*(?:cheaper|less|faster)", s)
                  and not re.search(r"\bnot\b|misread|\"10,000 times fewer parameters, so", s)]
    assert overclaims == []


def test_reliability_diagrams_are_read_the_right_way_round(course: Course) -> None:
    lesson = re.sub(r"\s+", " ", _item(course, "m4-l6").body)
    assert re.search(r"\*\*below\*\* it mean accuracy falls short of confidence: the model is "
                     r"\*\*overconfident\*\*", lesson)
    right = next(o.text for o in _question(course, "m4-l6-quiz", "above-diagonal").options
                 if o.correct)
    assert "underconfident" in right


def test_the_scale_lesson_runs_two_processes_with_gloo(course: Course) -> None:
    blocks = [code for code, _line, predict in executed_code(_item(course, "m4-l4").body)
              if not predict]
    ddp = [code for code in blocks if "DistributedDataParallel" in code]
    assert len(ddp) == 1
    assert 'init_process_group("gloo"' in ddp[0] and "args=(2," in ddp[0]
    assert "127.0.0.1" in ddp[0] and "manual_seed" in ddp[0]


def test_the_capstone_offers_three_scenarios_and_asks_for_the_five_areas(
        course: Course) -> None:
    capstone = _item(course, "m4-capstone").capstone
    assert list(capstone.required_sections) == ["Architecture", "Training", "Evaluation",
                                          "Deployment", "Limits"]
    for scenario in ("(a)", "(b)", "(c)"):
        assert scenario in capstone.brief
    assert 4 <= len(capstone.rubric) <= 6 and len(capstone.objections) >= 2
