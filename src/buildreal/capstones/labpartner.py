"""The lab partner as a capstone reviewer: two objections from the rubric, and a verdict
on which of them the learner's responses answered. No Django.

It reuses the tutor's public pieces: a ``Matcher`` (``default_matcher()``: embeddings
when installed, word overlap otherwise) says which rubric concepts a text covers, and a
``Backend`` words each objection (``DefaultBackend`` keeps the offline draft; an LLM
backend from ``backend_from_env()`` rephrases it, and any failure falls back to the draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from buildreal.capstones.briefs import sections
from buildreal.packs.model import Capstone, Completion, Lab, RubricConcept
from buildreal.tutor import BackendError, DefaultBackend
from buildreal.tutor.backends import Backend, PhraseRequest
from buildreal.tutor.matching import Matcher
from buildreal.tutor.text import content_stems

PERSONA = "the lab partner"
OBJECTIONS = 2
WHOLE_BRIEF = "The brief as a whole"


@dataclass(frozen=True)
class LabObjection:
    concept_id: str
    part: str  # the section heading it disputes, or WHOLE_BRIEF
    text: str


@lru_cache(maxsize=64)
def as_lab(capstone: Capstone) -> Lab:
    """The capstone's rubric dressed as a lab, which is what the tutor's matchers read."""
    return Lab(persona=PERSONA, scenario=capstone.brief, opening="", decision_prompt="",
               choices=(), rubric=capstone.rubric, misconceptions=(), hints=(),
               completion=Completion(min_concepts=1, require_commitment=False))


def coverage(capstone: Capstone, text: str, matcher: Matcher) -> dict[str, str]:
    """Per rubric concept: "covered", "near" (touched, not made) or "missing"."""
    evidence = matcher.match(as_lab(capstone), text)
    return {c.id: "covered" if c.id in evidence.concepts else
            "near" if c.id in evidence.near else "missing" for c in capstone.rubric}


def _part(capstone: Capstone, concept: RubricConcept, text: str, matcher: Matcher) -> str:
    """The section that touches the concept; else the one whose heading shares the most
    words with it ("Stopping rule" for early stopping); else the brief as a whole."""
    headed = [(heading, body) for heading, body in sections(text) if heading]
    for heading, body in headed:
        if coverage(capstone, body, matcher)[concept.id] != "missing":
            return heading
    topic = content_stems(f"{concept.concept} {concept.probe}")
    best = max(headed, key=lambda hb: len(content_stems(hb[0]) & topic), default=None)
    if best is not None and content_stems(best[0]) & topic:
        return best[0]
    return WHOLE_BRIEF


def _draft(concept: RubricConcept, state: str) -> str:
    lead = (f"Your brief touches on “{concept.concept}” but does not make the case."
            if state == "near" else f"Your brief does not address “{concept.concept}”.")
    ask = concept.probe or f"How does your plan deal with {concept.concept.lower()}?"
    return f"{lead} {ask} Answer it with a concrete choice and the reason for it."


def _worded(draft: str, capstone: Capstone, backend: Backend) -> str:
    request = PhraseRequest(persona=PERSONA, decision=capstone.revision_prompt or "",
                            move="probe", draft=draft, history=(), secrets=())
    try:
        text = "".join(backend.stream(request)).strip()
    except BackendError:
        return draft
    return text or draft


def raise_objections(capstone: Capstone, text: str, matcher: Matcher,
                     backend: Backend | None = None) -> list[LabObjection]:
    """Two objections on the rubric concepts the brief covers least (missing first, then
    merely touched, then in rubric order), each naming the part of the brief it disputes."""
    state = coverage(capstone, text, matcher)
    rank = {"missing": 0, "near": 1, "covered": 2}
    order = sorted(capstone.rubric, key=lambda c: rank[state[c.id]])[:OBJECTIONS]
    backend = backend or DefaultBackend()
    return [LabObjection(concept_id=c.id, part=_part(capstone, c, text, matcher),
                         text=_worded(_draft(c, state[c.id]), capstone, backend))
            for c in order]


def answered(capstone: Capstone, concept_id: str, response: str, matcher: Matcher) -> str:
    """Whether a response answers the objection raised on ``concept_id``: "answered",
    "partly" (it touches the concept without making the case) or "not answered"."""
    if concept_id not in {c.id for c in capstone.rubric}:
        return "not answered"
    state = coverage(capstone, response, matcher)[concept_id]
    return {"covered": "answered", "near": "partly"}.get(state, "not answered")
