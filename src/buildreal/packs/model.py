"""The in-memory course pack: plain frozen dataclasses, no Django.

This module is the contract between the loader (which builds these objects from files
and validates them), the Django apps (which render them and grade against them) and the
content authors (docs/course-pack.md describes the same shapes as files). Everything a
learner record refers to is a stable ``id`` plus the item's ``content_hash``, so editing a
pack never rewrites history.

Markdown fields hold the author's *source*; rendering to sanitized HTML is the job of
``buildreal.packs.render``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

SCHEMA_VERSION = 1

ItemKind = Literal[
    "lesson", "page", "quiz", "test", "exam", "lab", "flashcards", "synthesis",
    "capstone", "project", "glossary", "path", "module-check",
]
QuestionType = Literal["single", "multiple", "numeric"]


@dataclass(frozen=True)
class Source:
    """Where something came from, for error messages and authoring tools."""

    path: Path
    line: int = 1


# --- assessments ----------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    id: str
    text: str  # Markdown
    correct: bool
    feedback: str = ""  # Markdown, optional per-option feedback shown after answering


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    prompt: str  # Markdown
    options: tuple[Option, ...] = ()  # empty for numeric
    answer: float | None = None  # numeric only
    tolerance: float = 0.0  # numeric only, absolute
    unit: str = ""  # numeric only, shown after the input box
    explanation_correct: str = ""  # Markdown
    explanation_incorrect: str = ""  # Markdown
    # Quizzes: a nudge shown after a wrong pick that does not give the answer away.
    hint: str = ""  # Markdown, optional
    source: Source | None = None
    # Tests and exams: other versions of the question (same id and type, other numbers or
    # wording); each attempt shows one of the question and its variants, fixed by its seed.
    variants: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """Fields shared by quizzes, module tests and exams (see Item.assessment)."""

    questions: tuple[Question, ...]
    pass_mark: float  # fraction 0..1
    attempts: int | None = None  # None = unlimited
    time_limit_minutes: int | None = None
    shuffle: bool = False  # shuffle question order per attempt (tests/exams)
    draw: int | None = None  # tests/exams: questions drawn per attempt from the pool
    review: str = "after-pass-or-last-attempt"  # tests/exams: when right answers show
    # Tests/exams: ids of the quizzes, tests or exams a learner must have passed before
    # starting this one (the Final Exam names the module tests); checked on the server.
    requires: tuple[str, ...] = ()

    @property
    def per_attempt(self) -> int:
        """How many questions one attempt holds (the draw, or the whole list)."""
        return self.draw or len(self.questions)


# --- labs and capstones ----------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    aliases: tuple[str, ...] = ()  # phrases that name this choice in learner text


@dataclass(frozen=True)
class RubricConcept:
    id: str
    concept: str  # short name
    description: str
    keywords: tuple[str, ...] = ()
    strong: tuple[str, ...] = ()  # example strong statements
    weak: tuple[str, ...] = ()  # example weak statements
    probe: str = ""  # the question the partner asks to draw this concept out
    acknowledge: str = ""  # optional authored line naming what is right


@dataclass(frozen=True)
class Misconception:
    id: str
    description: str
    triggers: tuple[str, ...]  # example phrasings the partner listens for
    pushback: str


@dataclass(frozen=True)
class Completion:
    min_concepts: int
    require_commitment: bool = True
    max_turns: int = 20


@dataclass(frozen=True)
class Lab:
    persona: str
    scenario: str  # Markdown
    opening: str
    decision_prompt: str
    choices: tuple[Choice, ...]
    rubric: tuple[RubricConcept, ...]
    misconceptions: tuple[Misconception, ...]
    hints: tuple[str, ...]
    completion: Completion
    defensible: tuple[str, ...] = ()  # choice ids that a strong answer may defend; empty = any
    challenges: tuple[str, ...] = ()  # counter-examples / strongest alternatives to raise


@dataclass(frozen=True)
class Flashcard:
    id: str
    front: str  # Markdown
    back: str  # Markdown
    worked: bool = False  # a worked numeric card: back shows the steps


@dataclass(frozen=True)
class Capstone:
    brief: str  # Markdown
    deliverables: tuple[str, ...]
    rubric: tuple[RubricConcept, ...]
    objections: tuple[str, ...]  # the partner's objections the learner must answer
    revision_prompt: str = ""
    required_sections: tuple[str, ...] = ()  # headings the learner's brief must contain
    partner_wait_hours: float = 24.0  # then the lab partner stands in for a missing peer


# The kinds a module check may gather, in the order the notes present them.
MODULE_CHECK_PART_KINDS = ("flashcards", "quiz", "synthesis", "capstone")


@dataclass(frozen=True)
class ModuleCheck:
    """The end-of-module check: an overview, then its parts (ids of earlier items)."""

    overview: str  # Markdown
    parts: tuple[str, ...]


@dataclass(frozen=True)
class ProjectPage:
    project_id: str  # the toolkit's id, e.g. "p1-autodiff"
    number: int
    difficulty: str
    hours: str  # e.g. "8-12"
    brief: str
    core_question: str
    concepts: tuple[str, ...]
    design_questions: tuple[str, ...]
    thinking_exercise: str
    interview_questions: tuple[str, ...]
    hints: tuple[str, ...]  # revealed one layer at a time
    pitfalls: tuple[str, ...]
    definition_of_done: tuple[str, ...]
    check_command: str = ""  # e.g. "buildreal project check p1-autodiff"


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    definition: str  # Markdown


# --- the containers ---------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One entry of a module's ordered item list.

    Exactly one of the kind-specific fields is set, by kind: ``body`` (lesson, page,
    synthesis), ``assessment`` (quiz, test, exam), ``lab``, ``cards`` (flashcards),
    ``capstone``, ``project``, ``terms`` (glossary), ``path_items`` (path),
    ``check`` (module-check).
    """

    id: str
    kind: ItemKind
    title: str
    minutes: int
    xp: int
    source: Source
    content_hash: str  # sha256 of the file's bytes, first 16 hex digits
    summary: str = ""
    body: str = ""  # Markdown
    assessment: Assessment | None = None
    lab: Lab | None = None
    cards: tuple[Flashcard, ...] = ()
    capstone: Capstone | None = None
    project: ProjectPage | None = None
    terms: tuple[GlossaryTerm, ...] = ()
    path_items: tuple[str, ...] = ()  # item ids (usually project pages), in order
    check: ModuleCheck | None = None
    module_id: str = ""


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    summary: str
    items: tuple[Item, ...]
    source: Source


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    summary: str
    modules: tuple[Module, ...]
    root: Path
    schema: int = SCHEMA_VERSION
    default_pass_mark: float = 0.8
    figures_dir: str = "figures"

    def item(self, item_id: str) -> Item | None:
        for module in self.modules:
            for item in module.items:
                if item.id == item_id:
                    return item
        return None

    def items(self) -> list[Item]:
        return [item for module in self.modules for item in module.items]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, printed as ``file:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Catalog:
    """Every loaded course by id (what the site serves)."""

    courses: dict[str, Course] = field(default_factory=dict)
