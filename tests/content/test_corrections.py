"""Corrections that must not come back (issue 14), checked over every text of both courses.

Each test reads the whole pack (Markdown pages and YAML items: lessons, quizzes, labs,
project pages, glossary), joins the prose into sentences and looks for the *substance*
of a wrong statement, not one exact sentence, so a reworded relapse still fails. Where
a correction added a fact (a measured number, a condition, a source), a second check
makes sure it is still there. CORRECTIONS.md names the source of each correction.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from buildreal.packs.loader import load_course
from buildreal.packs.model import Course

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"
BRT = COURSES / "build-real-things"
MASTERY = COURSES / "deep-learning-mastery"
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _pack_files(root: Path) -> list[Path]:
    """Every learner-facing text file of a course (not the authors' CORRECTIONS.md)."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml")
                  and p.name != "CORRECTIONS.md")


def _without_distractors(path: Path) -> str:
    """A YAML item's text with the wrong options' wording left out.

    A distractor states a misconception on purpose, so it may say what the course must
    not; its feedback, and everything else, still counts.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        for question in data.get("questions") or []:
            for option in question.get("options") or []:
                if not option.get("correct"):
                    option.pop("text", None)
    return yaml.safe_dump(data, allow_unicode=True, width=10**6, sort_keys=False)


@cache
def _text(path: Path) -> str:
    """The file as one line of prose: YAML folding and Markdown wrapping undone."""
    raw = _without_distractors(path) if path.suffix == ".yaml" else path.read_text(
        encoding="utf-8")
    return re.sub(r"\s+", " ", raw)


def _sentences(text: str) -> list[str]:
    """Sentences, also cut at callout fences and table cells so they do not run together."""
    pieces = re.split(r":::|\s\|\s", text)
    return [s for piece in pieces for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*(\"'$])", piece)]


def _all_sentences() -> list[tuple[str, str]]:
    """(file, sentence) for every sentence of both courses."""
    found = []
    for root in (BRT, MASTERY):
        for path in _pack_files(root):
            found += [(str(path.relative_to(ROOT)), s) for s in _sentences(_text(path))]
    return found


def _offending(pattern: str, unless: str | None = None) -> list[str]:
    """Sentences matching ``pattern`` (case-insensitive) that do not also match ``unless``."""
    bad = []
    for where, sentence in _all_sentences():
        if re.search(pattern, sentence, re.I) and not (unless and re.search(unless, sentence,
                                                                               re.I)):
            bad.append(f"{where}: {sentence[:200]}")
    return bad


def _file(root: Path, relative: str) -> str:
    return _text(root / relative)


@pytest.fixture(scope="module")
def brt() -> Course:
    return load_course(BRT)


@pytest.fixture(scope="module")
def mastery() -> Course:
    return load_course(MASTERY)


# --- context windows ------------------------------------------------------------------

def test_no_page_blames_the_context_window_on_attentions_quadratic_cost() -> None:
    bad = _offending(r"context window.*(n\^2|n²|quadratic|square)|"
                     r"(n\^2|n²|quadratic|square).*context window",
                     unless=r"\bnot\b|n't|instead")
    assert bad == []


def test_the_context_window_is_explained_by_training_length_positions_and_memory(
        brt: Course) -> None:
    lesson = brt.item("m1-l3").body
    term = lesson[lesson.index("::: key-term Context window"):]
    term = term[:term.index(":::", 5)]
    for idea in (r"train", r"position", r"KV cache|memory"):
        assert re.search(idea, term, re.I), idea
    quiz = brt.item("m1-l3-quiz").assessment
    windows = [q for q in quiz.questions if re.search(r"longer|context|window", q.prompt, re.I)]
    assert windows, "the quiz no longer asks about the context window"
    for q in windows:
        right = next(o.text for o in q.options if o.correct)
        assert re.search(r"position", right, re.I) and not re.search(r"n\^2|quadratic", right)


# --- the cost of the backward pass ----------------------------------------------------

def test_no_page_says_backpropagation_costs_one_extra_pass_or_two_to_three_times() -> None:
    bad = _offending(r"(one|a single|an?) (extra|more|additional) (forward )?pass(?! per)|"
                     r"two (to|or) three (forward )?(passes|times)|2\s*[–-]\s*3\s*(×|x|times)")
    assert bad == []


@pytest.mark.parametrize("root, relative", [
    (BRT, "m1-what-deep-learning-is/l2-how-networks-learn.md"),
    (MASTERY, "primer/01-tensors-linear-algebra-calculus.md"),
    (MASTERY, "primer/02-backpropagation-optimization.md"),
])
def test_both_courses_say_backward_is_twice_forward_and_a_step_three_forward_passes(
        root: Path, relative: str) -> None:
    text = _file(root, relative)
    assert re.search(r"twice (as much arithmetic as )?the forward pass|about two\b", text)
    assert re.search(r"about three forward passes", text)


@pytest.mark.parametrize("root, relative", [
    (BRT, "m1-what-deep-learning-is/l2-how-networks-learn.md"),
    (MASTERY, "primer/02-backpropagation-optimization.md"),
])
def test_the_flop_counts_per_token_are_six_n_for_training_and_two_n_for_inference(
        root: Path, relative: str) -> None:
    text = _file(root, relative)
    assert "6N" in text and "2N" in text


# --- the résumé-screening case ---------------------------------------------------------

def test_the_resume_case_is_not_told_as_a_network_that_worked_perfectly() -> None:
    assert _offending(r"(did|does) (its|the|their) job perfectly|worked perfectly|"
                      r"performed (its task )?perfectly") == []


def test_the_resume_case_states_what_reuters_reported(brt: Course) -> None:
    body = re.sub(r"\s+", " ", brt.item("m1-l1").body)
    case = body[body.index("Amazon"):]
    case = case[:1500]
    for fact in (r"Reuters", r"500 models", r"50,000 terms", r"random", r"unqualified",
                 r"never used"):
        assert re.search(fact, case), fact


# --- calibration ------------------------------------------------------------------------

def test_overconfidence_is_never_stated_of_all_modern_networks() -> None:
    bad = _offending(r"(networks|models|classifiers) (are|tend to be|is) (often |usually |"
                     r"generally |typically |systematically )?overconfident",
                     unless=r"Guo|ResNet|such as|some|of the day|of the time|2017")
    assert bad == []


@pytest.mark.parametrize("root, relative", [
    (BRT, "m1-what-deep-learning-is/l4-what-goes-wrong.md"),
    (MASTERY, "primer/04-generalization-evaluation-systems.md"),
    (MASTERY, "reference/glossary.yaml"),
])
def test_calibration_claims_name_guo_on_resnets_and_the_later_better_calibrated_models(
        root: Path, relative: str) -> None:
    text = _file(root, relative)
    assert "Guo" in text and "ResNet" in text
    assert "Minderer" in text and re.search(r"Vision Transformers|ViTs?", text)


# --- pre-2012 face recognition ----------------------------------------------------------

def test_pre_deep_learning_face_recognition_is_not_called_hand_written_rules() -> None:
    assert _offending(r"face.*(hand-?written|hand-?coded) rules|"
                      r"(hand-?written|hand-?coded) rules.*face|"
                      r"face recogni[sz]er was mostly a catalogue") == []


def test_lesson_one_names_eigenfaces_and_lbp_with_learned_classifiers(brt: Course) -> None:
    body = re.sub(r"\s+", " ", brt.item("m1-l1").body)
    assert "Eigenfaces" in body and "local binary patterns" in body
    assert re.search(r"(trained|learned) a classifier|trained a classifier", body)


# --- the fairness impossibility result ---------------------------------------------------

def test_every_fairness_impossibility_statement_carries_its_conditions() -> None:
    bad = []
    for root in (BRT, MASTERY):
        for path in _pack_files(root):
            for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
                text = re.sub(r"\s+", " ", paragraph)
                if re.search(r"base rates?", text) and re.search(
                        r"cannot|impossib|incompatib|can't", text):
                    if not (re.search(r"perfect", text) and re.search(
                            r"equal|same base rate", text)):
                        bad.append(f"{path}: {text[:200]}")
    assert bad == []


def test_the_impossibility_result_is_credited_to_kleinberg_and_chouldechova(
        brt: Course) -> None:
    body = brt.item("m1-l4").body
    assert "Kleinberg" in body and "Chouldechova" in body


# --- dropout's origin -------------------------------------------------------------------

def test_dropout_is_never_credited_to_srivastava_alone() -> None:
    bad = []
    for root in (BRT, MASTERY):
        for path in _pack_files(root):
            for paragraph in re.split(r"\n\s*\n|\n\s*- id:", path.read_text(encoding="utf-8")):
                text = re.sub(r"\s+", " ", paragraph)
                if re.search(r"dropout", text, re.I) and "Srivastava" in text:
                    if not re.search(r"Hinton.{0,40}2012|2012.{0,40}Hinton", text):
                        bad.append(f"{path}: {text[:200]}")
    assert bad == []


def test_the_glossary_and_the_primer_date_dropout_to_hinton_2012_then_srivastava_2014(
        mastery: Course) -> None:
    term = next(t for t in mastery.item("glossary").terms if t.id == "dropout")
    chapter = mastery.item("primer-backprop").body
    for text in (term.definition, chapter):
        assert re.search(r"Hinton et al\.,? \(?2012", text)
        assert re.search(r"Srivastava et al\.,? \(?2014", text)


# --- the Module 1 lab-2 scenario ----------------------------------------------------------

def test_the_lab_two_losses_are_below_chance_for_its_four_classes(brt: Course) -> None:
    lab = brt.item("m1-l2-lab").lab
    categories = re.findall(r"\*\*(billing|technical|account|general)\*\*", lab.scenario)
    assert len(categories) == 4
    chance = math.log(len(categories))
    rows = re.findall(r"^\s*\|\s*(\d+)\s*\|\s*\**([\d.]+)\**\s*\|\s*\**([\d.]+)\**",
                      lab.scenario, flags=re.M)
    assert rows, "the scenario's loss table is missing"
    for epoch, train, val in rows:
        assert float(train) < chance and float(val) < chance, (epoch, train, val, chance)
    first_train = rows[0][1]
    assert first_train.rstrip("0") in lab.opening, "the partner quotes a different start"


# --- exploding gradients ------------------------------------------------------------------

def test_a_singular_value_above_one_is_never_said_to_make_gradients_explode() -> None:
    bad = _offending(r"(singular value|factors?|eigenvalue)s? (is |are )?(above|larger than|"
                     r"greater than|bigger than|>) ?(one|1)\b.*explod",
                     unless=r"necessary|not sufficient|can explode|can only|possible|need not")
    assert bad == []


def test_the_p4_page_says_necessary_not_sufficient() -> None:
    text = _file(MASTERY, "projects/p4-charlm.yaml")
    assert re.search(r"necessary for explosion, not sufficient", text)


# --- noise in a comparison ----------------------------------------------------------------

def test_no_page_calls_a_small_gain_noise_from_one_models_standard_error() -> None:
    assert _offending(r"(improvement|gain|difference) is (just |pure |only )?noise",
                      unless=r"paired|disagree") == []


def test_chapter_four_compares_models_with_the_paired_difference(mastery: Course) -> None:
    body = re.sub(r"\s+", " ", mastery.item("primer-generalization").body)
    section = body[body.index("### Uncertainty in the numbers themselves"):]
    section = section[:section.index("### Slices")]
    for idea in ("paired", "disagree", "McNemar", "```python exec"):
        assert idea in section, idea


# --- the P3 page against its own measurement -------------------------------------------

def _measured_accuracies() -> tuple[str, str]:
    """(CNN, best MLP) test accuracies from the project's measured write-up, as 'NN.N%'."""
    doc = (ROOT / "docs" / "projects" / "p3-cnn.md").read_text(encoding="utf-8")
    cnn = re.search(r"^\| this CNN[^|]*\| \**([\d.]+)%", doc, flags=re.M)
    mlp = re.search(r"^\| best small MLP[^|]*\| \**([\d.]+)%", doc, flags=re.M)
    assert cnn and mlp, "docs/projects/p3-cnn.md no longer has the measured table"
    return f"{float(cnn.group(1)):.1f}%", f"{float(mlp.group(1)):.1f}%"


def test_the_p3_page_quotes_the_measured_cnn_and_mlp_accuracies(mastery: Course) -> None:
    brief = re.sub(r"\s+", " ", mastery.item("p3-cnn").project.brief)
    cnn, mlp = _measured_accuracies()
    assert cnn in brief and mlp in brief


def test_the_p3_page_does_not_say_a_dense_network_struggles() -> None:
    assert _offending(r"(dense|fully connected|MLP).{0,80}struggl",
                      unless=r"\bnot\b|n't") == []


# --- one time estimate per project --------------------------------------------------------

def _hours(course: Course) -> dict[int, tuple[int, int]]:
    """Project number -> (low, high) hours from each published project page."""
    found = {}
    for item in course.items():
        if item.kind == "project" and item.project is not None:
            raw = yaml.safe_load(item.source.path.read_text(encoding="utf-8"))["hours"]
            low, high = (int(x) for x in re.split(r"\s*[-–]\s*", str(raw)))
            found[item.project.number] = (low, high)
    return found


def _weeks(text: str) -> tuple[int, int]:
    words = re.search(r"(\w+)(?:\s*[–-]\s*|\s+to\s+)(\w+)\s+weeks", text)
    single = re.search(r"(\w+)\s+weeks?\b", text)
    match = words or single
    assert match, text
    values = [int(v) if v.isdigit() else NUMBER_WORDS[v.lower()] for v in match.groups()]
    return values[0], values[-1]


def _consistent(hours: tuple[int, int], weeks: tuple[int, int]) -> bool:
    """Weeks at six to eight hours a week that a careful reader would derive from hours."""
    return abs(weeks[0] - hours[0] / 8) <= 1 and abs(weeks[1] - hours[1] / 6) <= 1


def test_each_project_page_gives_weeks_that_match_its_hours(mastery: Course) -> None:
    for item in mastery.items():
        if item.kind == "project" and item.project is not None:
            hours = _hours(mastery)[item.project.number]
            brief = re.sub(r"\s+", " ", item.project.brief)
            if re.search(r"\bweeks?\b", brief):
                assert _consistent(hours, _weeks(brief)), (item.id, hours, _weeks(brief))


def test_the_comparison_table_agrees_with_every_published_project_page(
        mastery: Course) -> None:
    table = mastery.item("project-comparison").body
    for number, hours in _hours(mastery).items():
        row = re.search(rf"^\| {number}\. [^|]+\|[^|]+\|([^|]+)\|", table, flags=re.M)
        assert row, f"no row for project {number}"
        assert _consistent(hours, _weeks(row.group(1))), (number, hours, row.group(1))


def test_the_quick_start_promises_a_first_milestone_not_the_whole_of_project_one(
        mastery: Course) -> None:
    body = re.sub(r"\s+", " ", mastery.item("quick-start").body)
    low, high = _hours(mastery)[1]
    assert f"{low}–{high} hours" in body
    assert not re.search(r"finish(ed)? (Project 1|the project)|one working project", body)
    assert not re.search(r"one working project", mastery.item("quick-start").summary or "")


# --- pages describe what is here now -----------------------------------------------------

def test_no_page_promises_projects_or_modules_that_are_not_published() -> None:
    bad = _offending(r"coming (later|soon|to this course)|still being added|"
                     r"will appear in this list|later modules|as soon as they are available|"
                     r"for the later projects|course ends by joining")
    assert bad == []


def test_no_count_of_projects_exceeds_the_published_pages(mastery: Course) -> None:
    published = len(_hours(mastery))
    pages = [MASTERY / "course.yaml", MASTERY / "orientation" / "01-welcome.md"]
    for path in pages:
        for word in re.findall(r"\b(\w+) (?:working systems|projects|checked projects)\b",
                               _text(path)):
            count = NUMBER_WORDS.get(word.lower()) or (int(word) if word.isdigit() else None)
            assert count is None or count <= published, (path.name, word)


# --- assessments: feedback and real distractors --------------------------------------------

@pytest.mark.parametrize("root", [BRT, MASTERY], ids=["build-real-things", "mastery"])
def test_every_wrong_option_in_every_assessment_explains_itself(root: Path) -> None:
    course = load_course(root)
    silent = [f"{item.id}/{q.id}/{o.id}" for item in course.items() if item.assessment
              for q in item.assessment.questions for o in q.options
              if not o.correct and not (o.feedback or "").strip()]
    assert silent == []


THROWAWAY = (r"needs? no training at all", r"cloud provider", r"which GPUs",
             r"how long did training take", r"loss is a matrix")


@pytest.mark.parametrize("root", [BRT, MASTERY], ids=["build-real-things", "mastery"])
def test_no_distractor_is_a_throwaway_nobody_would_pick(root: Path) -> None:
    course = load_course(root)
    bad = [f"{item.id}/{q.id}: {o.text}" for item in course.items() if item.assessment
           for q in item.assessment.questions for o in q.options
           if not o.correct and any(re.search(p, o.text, re.I) for p in THROWAWAY)]
    assert bad == []
