"""Build one :class:`Item` of each kind from its parsed, line-tracked data.

Each ``_<kind>`` function reads the kind's own keys through :class:`Fields` (which reports
unknown keys, missing fields and wrong types) and checks the kind's rules; Markdown
fields go through :func:`check_markdown` so their links and callouts are checked too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from buildreal.packs.fields import Fields, check_unique
from buildreal.packs.mdcheck import MarkdownContext, check_markdown
from buildreal.packs.model import (
    Assessment,
    Capstone,
    Choice,
    Completion,
    Flashcard,
    GlossaryTerm,
    Item,
    ItemKind,
    Lab,
    Misconception,
    ModuleCheck,
    Option,
    Problem,
    ProjectPage,
    Question,
    RubricConcept,
    Source,
)
from buildreal.packs.yamlsrc import LDict

KINDS: tuple[str, ...] = get_args(ItemKind)
MARKDOWN_KINDS = ("lesson", "page", "synthesis")
YAML_KINDS = tuple(kind for kind in KINDS if kind not in MARKDOWN_KINDS)
COMMON_KEYS = ("id", "kind", "title", "minutes", "xp", "summary")
QUESTION_TYPES = ("single", "multiple", "numeric")
# When a test's review shows the right answers (Moodle's review options, by name).
REVIEW_POLICIES = ("after-each-attempt", "after-pass", "after-last-attempt", "never",
                   "after-pass-or-last-attempt")
VARIANT_KEYS = ("prompt", "options", "answer", "tolerance", "unit", "explanation")

_KIND_KEYS: dict[str, tuple[str, ...]] = {
    "lesson": (), "page": (), "synthesis": (),
    "quiz": ("pass_mark", "questions"),
    "test": ("pass_mark", "attempts", "time_limit_minutes", "shuffle", "draw", "review",
             "requires", "questions"),
    "exam": ("pass_mark", "attempts", "time_limit_minutes", "shuffle", "draw", "review",
             "requires", "questions"),
    "lab": ("persona", "scenario", "opening", "decision", "rubric", "misconceptions",
            "challenges", "hints", "completion"),
    "flashcards": ("cards",),
    "capstone": ("brief", "deliverables", "rubric", "objections", "revision_prompt",
                 "required_sections", "partner_wait_hours"),
    "project": ("project_id", "number", "difficulty", "hours", "brief", "core_question",
                "concepts", "design_questions", "thinking_exercise", "interview_questions",
                "hints", "pitfalls", "definition_of_done", "check_command"),
    "glossary": ("terms",),
    "path": ("body", "items"),
    "module-check": ("overview", "parts"),
}


@dataclass
class ItemContext:
    """Per-item state: the file, problem list, Markdown checks, course defaults."""

    path: Path
    md: MarkdownContext
    default_pass_mark: float
    default_xp: dict[str, int] = field(default_factory=dict)  # kind -> xp when omitted

    @property
    def problems(self) -> list[Problem]:
        return self.md.problems

    def fields(self, data: LDict, where: str, allowed: tuple[str, ...]) -> Fields:
        return Fields(data, self.path, self.md.problems, where, allowed)

    def markdown(self, f: Fields, key: str, required: bool = True) -> str:
        """A Markdown field: text, checked for callouts, links and figures."""
        text = f.text(key, required=required)
        check_markdown(text, self.path, f.text_line(key), self.md)
        return text


# --- assessments -------------------------------------------------------------------------

def _option(data: LDict, qid: str, ctx: ItemContext) -> Option:
    f = ctx.fields(data, f"option '{{id}}' of question '{qid}'",
                   ("id", "text", "correct", "feedback"))
    return Option(id=f.ident(), text=ctx.markdown(f, "text"), correct=f.boolean("correct"),
                  feedback=ctx.markdown(f, "feedback", required=False))


def _variant_data(base: LDict, variant: LDict) -> LDict:
    """The base question's mapping with the variant's keys laid over it (lines kept)."""
    merged = LDict({k: v for k, v in base.items() if k != "variants"})
    merged.line = variant.line
    merged.key_lines = {k: v for k, v in base.key_lines.items() if k != "variants"}
    merged.value_lines = {k: v for k, v in base.value_lines.items() if k != "variants"}
    merged.update(variant)
    merged.key_lines.update(variant.key_lines)
    merged.value_lines.update(variant.value_lines)
    return merged


def _variants(f: Fields, data: LDict, ctx: ItemContext, qid: str) -> tuple[Question, ...]:
    """``variants:``: other versions of a question; keys left out are the question's own."""
    out = []
    for variant in f.mappings("variants", required=False):
        ctx.fields(variant, f"a variant of question '{qid}'", VARIANT_KEYS)
        if "prompt" not in variant:
            f.problem(variant.line, f"a variant of question '{qid}' needs its own 'prompt' "
                                    f"(a variant differs from the question it varies)")
        out.append(_question(_variant_data(data, variant), ctx, nested=True))
    return tuple(out)


def _question(data: LDict, ctx: ItemContext, nested: bool = False) -> Question:
    f = ctx.fields(data, "question '{id}'", ("id", "type", "prompt", "options", "answer",
                                             "tolerance", "unit", "explanation", "hint")
                   + (() if nested else ("variants",)))
    qid = f.ident()
    qtype = f.text("type")
    if qtype and qtype not in QUESTION_TYPES:
        f.problem(f.line("type"), f"unknown question type '{qtype}' in {f.where}; use one of: "
                                  f"{', '.join(QUESTION_TYPES)}")
    prompt = ctx.markdown(f, "prompt")
    options: list[Option] = []
    answer = None
    if qtype == "numeric":
        if f.has("options"):
            f.problem(f.line("options"), f"{f.where} is numeric: it takes 'answer', not "
                                         f"'options'")
        if data.get("answer") is None:
            f.problem(f.line("answer"), f"numeric {f.where} needs an 'answer' (and "
                                        f"optionally 'tolerance')")
        else:
            answer = f.number("answer", required=False, default=None)
    else:
        for key in ("answer", "tolerance", "unit"):
            if f.has(key):
                f.problem(f.line(key), f"'{key}' applies to numeric questions only "
                                       f"({f.where} is {qtype or 'not numeric'})")
        option_data = f.mappings("options")
        options = [_option(o, qid, ctx) for o in option_data]
        check_unique(((o.id, d) for o, d in zip(options, option_data, strict=True)),
                     ctx.path, ctx.problems, "option id", f" in {f.where}")
        if "options" in data and len(options) < 2:
            f.problem(f.line("options"), f"{f.where} needs at least 2 options, has "
                                         f"{len(options)}")
        correct = sum(1 for o in options if o.correct)
        if qtype == "single" and options and correct != 1:
            f.problem(f.line("options"), f"single-choice {f.where} needs exactly one option "
                                         f"with 'correct: true', has {correct}")
        if qtype == "multiple" and options and correct == 0:
            f.problem(f.line("options"), f"select-all {f.where} needs at least one option "
                                         f"with 'correct: true'")
    tolerance = f.number("tolerance", required=False, default=0.0) or 0.0
    if tolerance < 0:
        f.problem(f.line("tolerance"), f"'tolerance' in {f.where} cannot be negative")
    explanation = f.mapping("explanation")
    correct_text = incorrect_text = ""
    if explanation is not None:
        e = ctx.fields(explanation, f"the explanation of {f.where}", ("correct", "incorrect"))
        correct_text = ctx.markdown(e, "correct")
        incorrect_text = ctx.markdown(e, "incorrect")
    return Question(id=qid, type=qtype if qtype in QUESTION_TYPES else "single",
                    prompt=prompt, options=tuple(options), answer=answer,
                    tolerance=tolerance, unit=f.text("unit", required=False),
                    explanation_correct=correct_text, explanation_incorrect=incorrect_text,
                    hint=ctx.markdown(f, "hint", required=False),
                    source=Source(ctx.path, data.line),
                    variants=() if nested else _variants(f, data, ctx, qid))


def _assessment(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    data = f.mappings("questions", min_len=1)
    questions = [_question(q, ctx) for q in data]
    check_unique(((q.id, d) for q, d in zip(questions, data, strict=True)),
                 ctx.path, ctx.problems, "question id")
    timed = kind in ("test", "exam")
    draw = f.integer("draw", required=False, default=None, minimum=1) if timed else None
    if draw is not None and draw > len(questions):
        f.problem(f.line("draw"), f"'draw: {draw}' needs a pool of at least {draw} "
                                  f"questions; the pool has {len(questions)}")
        draw = None
    review = (f.text("review", required=False) or REVIEW_POLICIES[-1]) if timed else \
        REVIEW_POLICIES[-1]
    if review not in REVIEW_POLICIES:
        f.problem(f.line("review"), f"unknown review policy '{review}'; use one of: "
                                    f"{', '.join(REVIEW_POLICIES)}")
        review = REVIEW_POLICIES[-1]
    if kind == "quiz":
        for q, d in zip(questions, data, strict=True):
            if q.variants:
                f.problem(d.line_of("variants"), f"question '{q.id}' has variants, which "
                          f"only tests and exams draw from; a quiz shows the question itself")
    # Which ids exist is known only once the whole course is read: the loader checks them.
    requires = f.text_list("requires") if timed else ()
    return {"assessment": Assessment(
        draw=draw, review=review, requires=requires,
        questions=tuple(questions),
        pass_mark=f.fraction("pass_mark", ctx.default_pass_mark),
        attempts=f.integer("attempts", required=False, default=None, minimum=1)
        if timed else None,
        time_limit_minutes=f.integer("time_limit_minutes", required=False, default=None,
                                     minimum=1) if timed else None,
        shuffle=f.boolean("shuffle") if timed else False,
    )}


# --- labs and capstones --------------------------------------------------------------------

def _rubric(f: Fields, ctx: ItemContext, min_len: int) -> tuple[RubricConcept, ...]:
    data = f.mappings("rubric", min_len=min_len)
    concepts = []
    for entry in data:
        r = ctx.fields(entry, "rubric concept '{id}'",
                       ("id", "concept", "description", "keywords", "strong", "weak",
                        "probe", "acknowledge"))
        concepts.append(RubricConcept(
            id=r.ident(), concept=r.text("concept"), description=r.text("description"),
            keywords=r.text_list("keywords"), strong=r.text_list("strong"),
            weak=r.text_list("weak"), probe=r.text("probe", required=False),
            acknowledge=r.text("acknowledge", required=False)))
    check_unique(((c.id, d) for c, d in zip(concepts, data, strict=True)), ctx.path,
                 ctx.problems, "rubric concept id")
    return tuple(concepts)


def _lab(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    decision = f.mapping("decision")
    prompt, choices, defensible = "", [], ()
    if decision is not None:
        d = ctx.fields(decision, "the decision", ("prompt", "choices", "defensible"))
        prompt = d.text("prompt")
        choice_data = d.mappings("choices", min_len=2)
        for entry in choice_data:
            c = ctx.fields(entry, "choice '{id}'", ("id", "label", "aliases"))
            choices.append(Choice(id=c.ident(), label=c.text("label"),
                                  aliases=c.text_list("aliases")))
        check_unique(((c.id, e) for c, e in zip(choices, choice_data, strict=True)),
                     ctx.path, ctx.problems, "choice id")
        defensible = d.text_list("defensible")
        known = {c.id for c in choices}
        for index, ident in enumerate(defensible):
            if ident not in known:
                d.problem(decision["defensible"].line_of(index),
                          f"defensible choice '{ident}' is not one of the choices: "
                          f"{', '.join(sorted(known))}")
    rubric = _rubric(f, ctx, min_len=2)
    mis_data = f.mappings("misconceptions", required=False)
    misconceptions = []
    for entry in mis_data:
        m = ctx.fields(entry, "misconception '{id}'", ("id", "description", "triggers",
                                                  "pushback"))
        misconceptions.append(Misconception(
            id=m.ident(), description=m.text("description"),
            triggers=m.text_list("triggers", required=True, min_len=1),
            pushback=m.text("pushback")))
    check_unique(((m.id, e) for m, e in zip(misconceptions, mis_data, strict=True)),
                 ctx.path, ctx.problems, "misconception id")
    completion_data = f.mapping("completion")
    completion = Completion(min_concepts=1)
    if completion_data is not None:
        c = ctx.fields(completion_data, "the completion rule",
                       ("min_concepts", "require_commitment", "max_turns"))
        min_concepts = c.integer("min_concepts", minimum=1) or 1
        if rubric and min_concepts > len(rubric):
            c.problem(c.line("min_concepts"), f"min_concepts is {min_concepts} but the "
                                              f"rubric has only {len(rubric)} concepts")
        completion = Completion(
            min_concepts=min_concepts,
            require_commitment=c.boolean("require_commitment", default=True),
            max_turns=c.integer("max_turns", required=False, default=20, minimum=2) or 20)
    return {"lab": Lab(
        persona=f.text("persona"), scenario=ctx.markdown(f, "scenario"),
        opening=f.text("opening"), decision_prompt=prompt, choices=tuple(choices),
        rubric=rubric, misconceptions=tuple(misconceptions),
        hints=f.text_list("hints", required=True, min_len=1), completion=completion,
        defensible=defensible, challenges=f.text_list("challenges"))}


def _capstone(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    wait = f.number("partner_wait_hours", required=False, default=24.0)
    if wait is not None and wait < 0:
        f.problem(f.line("partner_wait_hours"), f"'partner_wait_hours' in {f.where} cannot "
                                                f"be negative (0 pairs with the lab partner "
                                                f"at once)")
        wait = 24.0
    sections = f.text_list("required_sections")
    seen: set[str] = set()
    for heading in sections:
        if heading.strip().lower() in seen:
            f.problem(f.line("required_sections"), f"required section '{heading}' is listed "
                                                   f"twice in {f.where}")
        seen.add(heading.strip().lower())
    return {"capstone": Capstone(
        brief=ctx.markdown(f, "brief"),
        deliverables=f.text_list("deliverables", required=True, min_len=1),
        rubric=_rubric(f, ctx, min_len=1),
        objections=f.text_list("objections", required=True, min_len=1),
        revision_prompt=f.text("revision_prompt", required=False),
        required_sections=tuple(s.strip() for s in sections),
        partner_wait_hours=24.0 if wait is None else wait)}


def _module_check(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    # Which parts exist, and where, is checked by the loader once the module is read.
    return {"check": ModuleCheck(overview=ctx.markdown(f, "overview"),
                                 parts=f.text_list("parts", required=True, min_len=1))}


# --- the rest ----------------------------------------------------------------------------------

def _flashcards(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    data = f.mappings("cards", min_len=1)
    cards = []
    for entry in data:
        c = ctx.fields(entry, "card '{id}'", ("id", "front", "back", "worked"))
        cards.append(Flashcard(id=c.ident(), front=ctx.markdown(c, "front"),
                               back=ctx.markdown(c, "back"), worked=c.boolean("worked")))
    check_unique(((c.id, d) for c, d in zip(cards, data, strict=True)), ctx.path,
                 ctx.problems, "card id")
    return {"cards": tuple(cards)}


def _project(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    project_id = f.ident("project_id")
    return {"project": ProjectPage(
        project_id=project_id, number=f.integer("number", minimum=1) or 0,
        difficulty=f.text("difficulty"), hours=f.text("hours"),
        brief=ctx.markdown(f, "brief"), core_question=f.text("core_question"),
        concepts=f.text_list("concepts", required=True, min_len=1),
        design_questions=f.text_list("design_questions", required=True, min_len=1),
        thinking_exercise=ctx.markdown(f, "thinking_exercise"),
        interview_questions=f.text_list("interview_questions", required=True, min_len=1),
        hints=f.text_list("hints", required=True, min_len=1),
        pitfalls=f.text_list("pitfalls", required=True, min_len=1),
        definition_of_done=f.text_list("definition_of_done", required=True, min_len=1),
        check_command=f.text("check_command", required=False))}


def _glossary(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    data = f.mappings("terms", min_len=1)
    terms = []
    for entry in data:
        t = ctx.fields(entry, "glossary term '{id}'", ("id", "term", "definition"))
        terms.append(GlossaryTerm(id=t.ident(), term=t.text("term"),
                                  definition=ctx.markdown(t, "definition")))
    check_unique(((t.id, d) for t, d in zip(terms, data, strict=True)), ctx.path,
                 ctx.problems, "glossary term id")
    return {"terms": tuple(terms)}


def _path(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    return {"body": ctx.markdown(f, "body", required=False),
            "path_items": f.text_list("items", required=True, min_len=1)}


def _markdown_kind(f: Fields, ctx: ItemContext, kind: str) -> dict[str, Any]:
    return {}  # the body is checked by the loader, which knows its first line


_BUILDERS: dict[str, Callable[[Fields, ItemContext, str], dict[str, Any]]] = {
    "lesson": _markdown_kind, "page": _markdown_kind, "synthesis": _markdown_kind,
    "quiz": _assessment, "test": _assessment, "exam": _assessment, "lab": _lab,
    "flashcards": _flashcards, "capstone": _capstone, "project": _project,
    "glossary": _glossary, "path": _path, "module-check": _module_check,
}


def build_item(data: LDict, ctx: ItemContext, *, markdown: bool, content_hash: str,
               module_id: str, body: str = "") -> Item | None:
    """Read one item's mapping (front matter or a YAML file); None if unusable."""
    kind_value = data.get("kind", "lesson" if markdown else None)
    kind = kind_value if isinstance(kind_value, str) else None
    if kind not in KINDS:
        line = data.line_of("kind")
        if kind_value is None:
            message = (f"missing required field 'kind' (one of: {', '.join(YAML_KINDS)})")
        else:
            message = f"unknown kind '{kind_value}'; use one of: {', '.join(KINDS)}"
        ctx.problems.append(Problem(ctx.path, line, message))
        kind = None
    elif markdown and kind not in MARKDOWN_KINDS:
        ctx.problems.append(Problem(ctx.path, data.line_of("kind"),
                                     f"a '{kind}' item is a YAML file, not Markdown "
                                     f"(Markdown kinds: {', '.join(MARKDOWN_KINDS)})"))
        kind = None
    elif not markdown and kind in MARKDOWN_KINDS:
        ctx.problems.append(Problem(ctx.path, data.line_of("kind"),
                                     f"a '{kind}' item is a Markdown file with front matter, "
                                     f"not YAML"))
        kind = None
    allowed = COMMON_KEYS + (_KIND_KEYS[kind] if kind else ())
    where = "the front matter of '{id}'" if markdown else "item '{id}'"
    f = ctx.fields(data if kind else _only(data, COMMON_KEYS), where, allowed)
    ident = f.ident()
    default_xp = ctx.default_xp.get(kind or "")
    common = {"id": ident, "title": f.text("title"),
              "minutes": f.integer("minutes", minimum=1) or 1,
              "xp": f.integer("xp", required=default_xp is None, default=default_xp,
                              minimum=0) or 0,
              "summary": f.text("summary", required=False)}
    if kind is None:
        return None
    specific = _BUILDERS[kind](f, ctx, kind)
    if markdown:
        specific["body"] = body
    return Item(kind=kind, source=Source(ctx.path, data.line), content_hash=content_hash,
                module_id=module_id, **common, **specific)


def _only(data: LDict, keys: tuple[str, ...]) -> LDict:
    """The subset of ``data`` with ``keys`` (unknown-kind items: check only common keys)."""
    subset = LDict({k: v for k, v in data.items() if k in keys})
    subset.line, subset.key_lines, subset.value_lines = data.line, data.key_lines, \
        data.value_lines
    return subset
