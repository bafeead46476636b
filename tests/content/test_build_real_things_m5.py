"""Content checks for Module 5 of "Deep Learning: Build Real Things" (language models).

The generic module tests (test_build_real_things_modules.py) hold Module 5 to the
course's shared form. These tests pin what Module 5 promises beyond that: five lessons in
order with their quizzes, two labs and a check; the one-hot lesson explaining equal
distances by construction rather than by the curse of dimensionality; a retrieval
example that really runs the installed MiniLM encoder offline, from an empty folder,
over text written into the block, and whose printed recall the page quotes; the RAG
comparison argued on cost, freshness, citations and control with no claim that 200
pages overflow a context window; the four risks each paired with a mitigation; and labs
whose defensible choices match what the lessons teach.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buildreal.packs.cli import default_outputs_dir
from buildreal.packs.execute import executed_code, run_block
from buildreal.packs.loader import load_course
from buildreal.packs.model import Course, Item, Module

COURSE_ROOT = Path(__file__).resolve().parents[2] / "courses" / "build-real-things"
MODULE_DIR = COURSE_ROOT / "m5-language-models"
LESSON_IDS = ("m5-l1", "m5-l2", "m5-l3", "m5-l4", "m5-l5")
LAB_IDS = ("m5-l2-lab", "m5-l4-lab")
FIGURE = re.compile(r"!\[[^\]]*\]\(figures/([A-Za-z0-9_-]+)\.(?:svg|png)\)")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.%-]*")


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE_ROOT)


@pytest.fixture(scope="module")
def module_five(course: Course) -> Module:
    return next(m for m in course.modules if m.id == "m5")


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


def _section(body: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## ``."""
    start = body.index(f"## {heading}")
    end = body.find("\n## ", start + 3)
    return body[start:end if end != -1 else len(body)]


def test_module_five_comes_last_among_the_numbered_modules(course: Course) -> None:
    ids = [m.id for m in course.modules]
    numbered = [i for i in ids if re.fullmatch(r"m\d+", i)]
    assert numbered[-1] == "m5" and ids[:2] == ["introduction", "m1"]


def test_lessons_quizzes_labs_test_and_check_come_in_order(module_five: Module) -> None:
    expected = []
    for lesson in LESSON_IDS:
        expected += [(lesson, "lesson"), (f"{lesson}-quiz", "quiz")]
        if f"{lesson}-lab" in LAB_IDS:
            expected.append((f"{lesson}-lab", "lab"))
    expected += [("m5-test", "test"), ("m5-cards", "flashcards"), ("m5-check-quiz", "quiz"),
                 ("m5-synthesis", "synthesis"), ("m5-capstone", "capstone"),
                 ("m5-check", "module-check")]
    assert [(i.id, i.kind) for i in module_five.items] == expected


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_has_between_1100_and_2000_words_of_prose(course: Course,
                                                              lesson_id: str) -> None:
    words = prose_words(_item(course, lesson_id).body)
    assert 1100 <= words <= 2000, f"{lesson_id} has {words} words of prose"


def test_the_one_hot_lesson_prints_root_two_for_a_small_and_a_large_vocabulary(
        course: Course) -> None:
    body = _item(course, "m5-l1").body
    block = next(code for code, _line, predict in executed_code(body)
                 if not predict and "one_hot" not in code and "V" in code)
    output = run_block(block, default_outputs_dir())
    assert output.ok, output.text
    lines = [line for line in output.text.splitlines() if line.startswith("V=")]
    assert len(lines) == 2 and all(line.count("1.4142") == 2 for line in lines)
    sizes = [int(re.match(r"V=\s*(\d+)", line).group(1)) for line in lines]
    assert min(sizes) <= 10 and max(sizes) >= 10_000


def test_the_one_hot_lesson_credits_equal_distances_to_the_code_not_the_curse(
        course: Course) -> None:
    body = _item(course, "m5-l1").body
    assert "by construction" in body and "distance concentration" in body.lower()
    quiz = _item(course, "m5-l1-quiz").assessment
    curse = next(q for q in quiz.questions if "curse" in q.prompt.lower())
    right = next(o.text for o in curse.options if o.correct)
    assert "construction" in right and "curse" not in right.lower()


def test_the_retrieval_example_runs_minilm_offline_over_paragraphs_in_the_block(
        course: Course) -> None:
    body = _item(course, "m5-l4").body
    blocks = [code for code, _line, predict in executed_code(body)
              if not predict and "Embedder" in code]
    assert len(blocks) == 1
    code = blocks[0]
    assert "from buildreal.tutor.embedder import Embedder" in code
    assert not re.search(r"\bopen\(|Path\(|courses/|read_text", code), "reads files"
    assert len(re.findall(r'^\s+"m\d-l\d":', code, flags=re.M)) >= 6
    output = run_block(code, default_outputs_dir())
    assert output.ok, output.text
    hits = re.findall(r"^(\d\.\d{3})\s+(m\d-l\d)$", output.text, flags=re.M)
    assert len(hits) == 3 and "m3-l3" in [page for _score, page in hits]
    assert "cite" in output.text and "Question:" in output.text
    recalls = dict(re.findall(r"recall@(\d) on 6 labelled questions: (\d)/6", output.text))
    assert set(recalls) == {"1", "3"}
    # The page quotes the numbers the block really printed.
    evaluation = _section(body, "Evaluating a RAG system")
    assert f"{recalls['1']} of 6 at $k=1$" in evaluation
    assert f"{recalls['3']} of 6 at $k=3$" in evaluation


def test_rag_is_compared_on_cost_freshness_citations_and_control(course: Course) -> None:
    body = _item(course, "m5-l4").body
    table_rows = [line for line in body.splitlines() if line.startswith("| ")]
    for ground in ("Cost per question", "Freshness", "Citations", "Control"):
        assert any(row.startswith(f"| {ground}") for row in table_rows), ground
    assert "133,000 tokens" in " ".join(body.split())


def test_no_module_five_page_says_two_hundred_pages_overflow_a_context_window() -> None:
    for path in sorted(MODULE_DIR.iterdir()):
        text = " ".join(path.read_text(encoding="utf-8").split())
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if re.search(r"200 pages|200-page", sentence) and re.search(
                    r"exceed|too (big|large|long)|(does|do|will) not fit|overflow", sentence):
                assert re.search(r"\bnot\b|no longer|n't|fits", sentence), (path.name, sentence)


def test_each_risk_has_its_own_section_and_mitigation(course: Course) -> None:
    body = _item(course, "m5-l5").body
    for heading, mitigation in (("Hallucination", r"Ground the answer"),
                                ("Prompt injection", r"Least privilege"),
                                ("Privacy", r"redact"),
                                ("Bias", r"counterfactual")):
        section = _section(body, heading)
        assert re.search(r"[Mm]itigation", section), heading
        assert re.search(mitigation, section, re.I), heading


def test_absa_is_taught_with_the_semeval_subtasks_and_tuple_scoring(course: Course) -> None:
    body = _item(course, "m5-l2").body
    for subtask in ("Aspect term extraction", "Aspect term polarity",
                    "Aspect category detection", "Category polarity"):
        assert subtask in body, subtask
    assert "SemEval-2014" in body and "tuple" in body


def test_the_labs_accept_what_the_lessons_teach_and_refuse_the_misconceptions(
        course: Course) -> None:
    docs = _item(course, "m5-l4-lab").lab
    assert "rag" in docs.defensible and "fine-tune" not in docs.defensible
    assert "from-scratch" not in docs.defensible
    absa = _item(course, "m5-l2-lab").lab
    assert "document-sentiment" not in absa.defensible
    assert any("absa" in choice for choice in absa.defensible)


def test_the_module_check_reviews_the_module_and_ends_in_a_design_review(
        course: Course) -> None:
    check = _item(course, "m5-check").check
    assert list(check.parts) == ["m5-cards", "m5-check-quiz", "m5-synthesis", "m5-capstone"]
    capstone = _item(course, "m5-capstone").capstone
    assert 4 <= len(capstone.rubric) <= 6 and len(capstone.objections) >= 3
    assert {"Evaluation", "Risks"} <= set(capstone.required_sections)
    cards = _item(course, "m5-cards").cards
    assert len(cards) >= 12 and sum(card.worked for card in cards) >= 3
