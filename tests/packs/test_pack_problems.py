"""Each kind of pack mistake is reported with the file and line an author must fix.

Every case copies the sample pack, breaks one thing, and checks the problem's path, line
and message. The line is found from the edited text, so the cases say *where* the
mistake is, not a magic number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from buildreal.packs.loader import PackError, load_course

QUIZ = "m1-learning/l1-quiz.yaml"
LAB = "m1-learning/l1-lab.yaml"
LESSON = "m1-learning/l1-overfitting.md"
LESSON2 = "m2-training/l1-gradient-descent.md"
CARDS = "m2-training/cards.yaml"
EXAM = "m2-training/exam.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    edit: Callable  # (PackCopy) -> None
    file: str
    line: int | str  # a line number, or text on the expected line (after the edit)
    message: str  # a fragment of the expected message
    below: int = 0  # the problem is this many lines below the text in ``line``


def _swap(file: str, old: str, new: str) -> Callable:
    return lambda pack: pack.replace(file, old, new)


CASES = [
    Case("bad YAML", _swap(QUIZ, "xp: 20", "xp: 20: 30"), QUIZ, "xp: 20: 30",
         "bad YAML: mapping values are not allowed"),
    Case("control character", _swap(QUIZ, "xp: 20", "xp: 20\x01"), QUIZ, "xp: 20",
         "bad YAML: unacceptable character #x0001"),
    Case("no front matter", _swap(LESSON, "---\nid: m1-l1", "id: m1-l1"), LESSON, 1,
         "missing front matter"),
    Case("front matter never closed", _swap(LESSON, "---\n# When", "# When"), LESSON, 1,
         "front matter is not closed"),
    Case("front matter that is not a mapping",
         lambda p: p.write(LESSON2, "---\n- one\n- two\n---\n# Gradient descent\n"),
         LESSON2, 2, "front matter must be a YAML mapping"),
    Case("bad YAML in front matter", _swap(LESSON, "minutes: 15", "minutes: [15"), LESSON,
         "xp: 50", "bad YAML"),
    Case("unknown key with a close match", _swap(QUIZ, "minutes: 5", "minuts: 5"), QUIZ,
         "minuts: 5", "unknown key 'minuts' in item 'm1-l1-quiz' (did you mean 'minutes'?); "
                      "allowed keys: id, kind, title, minutes, xp, summary, pass_mark, "
                      "questions"),
    Case("unknown key in a question", _swap(QUIZ, "    explanation:\n      correct: A widening",
                                            "    explaination:\n      correct: A widening"),
         QUIZ, "explaination:", "unknown key 'explaination' in question 'q1' (did you mean "
                                "'explanation'?)"),
    Case("missing required field", _swap(QUIZ, 'title: "Quiz: When a model stops learning"\n',
                                         ""), QUIZ, 1,
         "missing required field 'title' in item 'm1-l1-quiz'"),
    Case("wrong type", _swap(QUIZ, "minutes: 5", "minutes: five"), QUIZ, "minutes: five",
         "'minutes' in item 'm1-l1-quiz' must be a whole number, not text"),
    Case("list where text belongs", _swap(LAB, "persona: A senior", "persona:\n  - A senior"),
         LAB, "persona:", "'persona' in item 'm1-l1-lab' must be text, not a list"),
    Case("duplicate item id", _swap(LESSON2, "id: m2-l1", "id: m1-l1"), LESSON2, 2,
         "duplicate item id 'm1-l1' (first in"),
    Case("duplicate question id", _swap(QUIZ, "  - id: q2", "  - id: q1"), QUIZ,
         "Which of these reduce overfitting", "duplicate question id 'q1' (first at line 7)",
         below=-2),
    Case("duplicate option id", _swap(QUIZ, "      - id: b\n        text: Training and",
                                      "      - id: a\n        text: Training and"),
         QUIZ, "text: Training and validation loss fall", "duplicate option id 'a' in "
                                                          "question 'q1'", below=-1),
    Case("duplicate card id", _swap(CARDS, "  - id: epoch", "  - id: relu"), CARDS,
         "What is an epoch?", "duplicate card id 'relu'", below=-1),
    Case("duplicate rubric concept id", _swap(LAB, "  - id: baseline-first",
                                              "  - id: data-volume"), LAB,
         "concept: Baseline first", "duplicate rubric concept id 'data-volume'", below=-1),
    Case("duplicate misconception id", _swap(LAB, "  - id: accuracy-is-enough",
                                             "  - id: deep-always-wins"), LAB,
         "plain accuracy on an imbalanced", "duplicate misconception id 'deep-always-wins'",
         below=-1),
    Case("single choice with two correct options",
         _swap(QUIZ, "        feedback: That is what healthy",
               "        correct: true\n        feedback: That is what healthy"),
         QUIZ, 10, "single-choice question 'q1' needs exactly one option with 'correct: "
                   "true', has 2"),
    Case("multiple choice with no correct option",
         lambda p: p.write(QUIZ, p.read(QUIZ).replace(
             "text: Collecting more labelled examples\n        correct: true",
             "text: Collecting more labelled examples").replace(
             "validation loss\n        correct: true", "validation loss").replace(
             "Adding weight decay\n        correct: true", "Adding weight decay")),
         QUIZ, "Which of these reduce overfitting", "select-all question 'q2' needs at least "
                                                    "one option", below=1),
    Case("fewer than two options",
         lambda p: p.write("m2-training/exam.yaml", p.read("m2-training/exam.yaml").replace(
             "      - id: b\n        text: Training becomes slow but steady.\n        "
             "feedback: That is the symptom of a learning rate that is too small.\n", "")),
         "m2-training/exam.yaml", "    options:", "question 'q1' needs at least 2 options, "
                                                "has 1"),
    Case("numeric without answer", _swap(QUIZ, "    answer: 0.29\n", ""), QUIZ,
         "  - id: q3", "numeric question 'q3' needs an 'answer'"),
    Case("empty explanation", _swap(QUIZ, "correct: A widening gap means the model fits "
                                          "details that only the training set has.",
                                    'correct: ""'), QUIZ, 'correct: ""',
         "'correct' in the explanation of question 'q1' is empty"),
    Case("unknown kind", _swap(QUIZ, "kind: quiz", "kind: quizz"), QUIZ, "kind: quizz",
         "unknown kind 'quizz'; use one of: lesson, page, quiz"),
    Case("unknown callout kind", _swap(LESSON, "::: takeaway", "::: tip"), LESSON,
         "::: tip", "unknown callout kind 'tip'; use one of: key-term, peers-get-wrong"),
    Case("key term without its term", _swap(LESSON, "::: key-term Overfitting",
                                            "::: key-term"), LESSON, "::: key-term",
         "'::: key-term' needs the term"),
    Case("unclosed callout", _swap(LESSON, "above.\n:::", "above."), LESSON, "::: reveal",
         "'::: reveal' block is never closed"),
    Case("broken item link", _swap(LESSON, "(item:m1-l1-lab)", "(item:m1-l9-lab)"), LESSON,
         "item:m1-l9-lab", "broken link: no item 'm1-l9-lab' in course 'sample'"),
    Case("broken anchor", _swap(LESSON, "item:m2-l1#choosing-a-learning-rate",
                                "item:m2-l1#picking-a-rate"), LESSON, "#picking-a-rate",
         "broken link: item 'm2-l1' has no heading '#picking-a-rate' (its headings: "
         "choosing-a-learning-rate, gradient-descent)"),
    Case("broken glossary link", _swap(LESSON, "(glossary:overfitting)",
                                       "(glossary:overfit)"), LESSON, "glossary:overfit",
         "broken link: no glossary term 'overfit'"),
    Case("broken same-page anchor", _swap(LESSON, "Practise with [the quiz]",
                                          "See [the gap](#the-gap). Practise with [the quiz]"),
         LESSON, "#the-gap", "broken link: no heading '#the-gap' on this page (its "
                             "headings: when-a-model-stops-learning, two-curves, "
                             "measuring-the-gap, run-it)"),
    Case("link to a file path", _swap(LESSON, "(item:m1-l1-quiz)", "(l1-quiz.yaml)"),
         LESSON, "l1-quiz.yaml", "link 'l1-quiz.yaml' goes nowhere on the site: use "
                                 "item:<id>"),
    Case("broken link in a YAML Markdown field",
         _swap(CARDS, "One full pass", "One full [pass](item:nowhere)"), CARDS,
         "item:nowhere", "broken link: no item 'nowhere'"),
    Case("path listing an unknown item", _swap("m2-training/path.yaml", "m2-capstone]",
                                               "m3-capstone]"), "m2-training/path.yaml",
         "m3-capstone", "broken link: no item 'm3-capstone'"),
    Case("figure without its script",
         lambda p: p.path("figures/loss_curves.py").unlink(), LESSON, "figures/loss_curves",
         "figure 'figures/loss_curves.svg' has no script: create figures/loss_curves.py"),
    Case("pasted image", _swap(LESSON, "(figures/loss_curves.svg)",
                               "(https://example.org/x.png)"), LESSON, "example.org",
         "image 'https://example.org/x.png' is not a generated figure"),
    Case("module folder missing", _swap("course.yaml", "  - m2-training", "  - m2-train"),
         "course.yaml", "  - m2-train", "module folder 'm2-train' is listed but"),
    Case("item file missing", _swap("m2-training/module.yaml", "  - cards.yaml",
                                    "  - flashcards.yaml"), "m2-training/module.yaml",
         "flashcards.yaml", "item file 'flashcards.yaml' is listed but"),
    Case("unknown schema version", _swap("course.yaml", "schema: 1", "schema: 7"),
         "course.yaml", "schema: 7", "unknown schema version 7 (a newer buildreal may read "
                                     "it); this release reads schema 1"),
    Case("min_concepts beyond the rubric", _swap(LAB, "min_concepts: 3", "min_concepts: 9"),
         LAB, "min_concepts: 9", "min_concepts is 9 but the rubric has only 4 concepts"),
    Case("defensible choice that does not exist", _swap(LAB, "defensible: [classical]",
                                                        "defensible: [classic]"), LAB,
         "defensible: [classic]", "defensible choice 'classic' is not one of the choices"),
    Case("invalid id", _swap(CARDS, "id: m2-cards", "id: M2 Cards"), CARDS, "id: M2 Cards",
         "id 'M2 Cards' in item 'M2 Cards' is not a valid id (lowercase letters"),
    Case("duplicate YAML key", _swap(CARDS, "minutes: 10", "minutes: 10\nminutes: 12"), CARDS,
         "minutes: 12", "duplicate key 'minutes' (first at line 4)"),
    Case("answer that is not a finite number", _swap(QUIZ, "answer: 0.29", "answer: .nan"),
         QUIZ, "answer: .nan", "'answer' in question 'q3' must be a finite number"),
    Case("answer on a choice question", _swap(QUIZ, "    type: single\n",
                                              "    type: single\n    answer: 3\n"), QUIZ,
         "answer: 3", "'answer' applies to numeric questions only"),
    Case("a draw larger than the pool", _swap(EXAM, "draw: 3", "draw: 7"), EXAM, "draw: 7",
         "'draw: 7' needs a pool of at least 7 questions; the pool has 6"),
    Case("unknown review policy", _swap(EXAM, "draw: 3", "draw: 3\nreview: sometimes"), EXAM,
         "review: sometimes", "unknown review policy 'sometimes'; use one of: "
                              "after-each-attempt, after-pass"),
    Case("a variant without its own prompt",
         _swap(EXAM, "      - prompt: \"One gradient descent step: w = 0.5", "      - answer: 3\n"
               "        unit: x\n      - prompt: \"One gradient descent step: w = 0.5"),
         EXAM, "      - answer: 3", "a variant of question 'q3' needs its own 'prompt'"),
    Case("an unknown key in a variant", _swap(EXAM, "        answer: 1.7", "        answr: 1.7"),
         EXAM, "answr: 1.7", "unknown key 'answr' in a variant of question 'q3' (did you "
                             "mean 'answer'?)"),
    Case("a decimal keyword YAML would rewrite",
         _swap(LAB, 'keywords: [8000, "8,000",', 'keywords: [8000, 2.30, "8,000",'), LAB,
         "keywords: [8000, 2.30", "entry 2 of 'keywords' in rubric concept 'data-volume' is "
                                  "read by YAML as the number 2.3, not as written"),
    Case("variants in a lesson quiz", _swap(QUIZ, "    answer: 0.29", "    answer: 0.29\n"
                                            "    variants:\n      - prompt: Another?"),
         QUIZ, "variants:", "question 'q3' has variants, which only tests and exams draw"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mistake_is_reported_at_its_file_and_line(pack, case: Case) -> None:
    case.edit(pack)
    line = case.line if isinstance(case.line, int) \
        else pack.line_of(case.file, case.line) + case.below

    with pytest.raises(PackError) as caught:
        load_course(pack.root)

    found = [(p.path, p.line, p.message) for p in caught.value.problems]
    matching = [f for f in found if f[0] == pack.path(case.file) and case.message in f[2]]
    assert matching, f"no problem with {case.message!r} in {case.file}; got {found}"
    assert matching[0][1] == line, f"expected line {line}, got {matching}"


def test_every_problem_is_reported_in_one_run(pack) -> None:
    pack.replace(QUIZ, "minutes: 5", "minuts: 5")
    pack.replace(LAB, "xp: 60", "xp: lots")
    pack.replace(LESSON, "::: takeaway", "::: tip")
    pack.replace("m2-training/module.yaml", "  - cards.yaml", "  - flashcards.yaml")

    with pytest.raises(PackError) as caught:
        load_course(pack.root)

    files = {p.path.name for p in caught.value.problems}
    assert files == {"l1-quiz.yaml", "l1-lab.yaml", "l1-overfitting.md", "module.yaml"}
    assert str(caught.value).startswith("4 problems in course pack:")


def test_unknown_schema_stops_before_reading_modules(pack) -> None:
    pack.replace("course.yaml", "schema: 1", "schema: 0")
    pack.replace(QUIZ, "minutes: 5", "minuts: 5")

    with pytest.raises(PackError) as caught:
        load_course(pack.root)

    [problem] = caught.value.problems
    assert problem.message == "unknown schema version 0; this release reads schema 1"


def test_missing_course_yaml_names_the_folder(tmp_path) -> None:
    with pytest.raises(PackError) as caught:
        load_course(tmp_path)

    [problem] = caught.value.problems
    assert problem.path == tmp_path / "course.yaml"
    assert "is not a course folder" in problem.message


def test_problem_prints_as_file_colon_line(pack) -> None:
    pack.replace(QUIZ, "minutes: 5", "minutes: five")

    with pytest.raises(PackError) as caught:
        load_course(pack.root)

    assert str(caught.value.problems[0]) == (
        f"{pack.path(QUIZ)}:4: 'minutes' in item 'm1-l1-quiz' must be a whole number, "
        f"not text")
