"""One page per module check. Each part is shown with the same pieces as its own page
(the deck one card at a time, the quiz graded per question, the synthesis, the capstone's
steps), so answering here and there is the same record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from buildreal.assessments import quiz
from buildreal.assessments.views import _quiz_question  # one question block, as on quizzes
from buildreal.capstones import services as capstones
from buildreal.catalog.outline import STATE_LABELS, item_states
from buildreal.catalog.pages import item_context
from buildreal.flashcards.views import deck_context
from buildreal.packs.model import Course, Item
from buildreal.progress.services import award_completion

FINISHED = ("done", "passed")


def _without_title(body: str) -> str:
    """A synthesis body minus its own "# Title" line (the check page gives the heading)."""
    lines = body.lstrip().splitlines()
    return "\n".join(lines[1:]) if lines and lines[0].startswith("# ") else body


def _part(request: HttpRequest, course: Course, item: Item, state: str) -> dict[str, Any]:
    part: dict[str, Any] = {"item": item, "state": state, "label": STATE_LABELS[state],
                            "finished": state in FINISHED}
    if item.kind == "flashcards":
        part["deck"] = {"course": course, "item": item, **deck_context(request, course, item)}
    elif item.kind == "quiz":
        latest = quiz.latest_answers(request.user, course, item)
        part["questions"] = [
            _quiz_question(request, course, item, number, question, latest.get(question.id))
            for number, question in enumerate(item.assessment.questions, start=1)]
        part["answered"] = sum(1 for q in item.assessment.questions if q.id in latest)
        part["total"] = len(item.assessment.questions)
    elif item.kind == "synthesis":
        part["body"] = _without_title(item.body)
    elif item.kind == "capstone" and request.user.is_authenticated:
        brief = capstones.brief_for(request.user, course, item)
        part["steps"] = capstones.steps(brief)
    return part


def check_page(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    states = item_states(request.user, course)
    parts = [_part(request, course, part, states[part.id])
             for part in (course.item(pid) for pid in item.check.parts) if part is not None]
    done = sum(1 for part in parts if part["finished"])
    context = item_context(request, course, item)
    if request.user.is_authenticated and parts and done == len(parts) \
            and not context["completed"]:
        award_completion(request.user, course, item)
        context["completed"] = True
    return render(request, "modulechecks/check.html", {
        **context, "parts": parts, "done": done, "total": len(parts),
        "percent": round(100 * done / len(parts)) if parts else 0,
    })
