"""Item pages the catalog renders itself: prose (lesson, page, synthesis) and read-only
pages for the kinds that later areas deepen (glossary, path, project, flashcards, lab,
capstone). Other apps build on ``item_context`` and ``catalog/item_base.html``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from buildreal.catalog.content import module_of, neighbours
from buildreal.catalog.outline import STATE_LABELS, item_states
from buildreal.packs.model import Course, Item
from buildreal.progress.services import is_completed
from buildreal.projectsubmit.services import latest_for

# Items finished by reading: their page's "Mark complete" button awards the XP. Quizzes,
# tests and exams complete by answering; labs and capstones by the partner's debrief;
# projects by a passing `buildreal project check --submit` (projectsubmit).
READ_TO_COMPLETE = ("lesson", "page", "synthesis", "glossary", "path", "flashcards")


def item_context(request: HttpRequest, course: Course, item: Item) -> dict[str, Any]:
    """What every item page shows around its body: where it is, and what comes next."""
    previous, following = neighbours(course, item)
    return {
        "course": course,
        "item": item,
        "module": module_of(course, item),
        "previous": previous,
        "next": following,
        "completed": is_completed(request.user, course.id, item.id),
        "can_mark_complete": item.kind in READ_TO_COMPLETE,
    }


def prose(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    # A body that opens with its own "# Title" supplies the page's one <h1>.
    has_title = item.body.lstrip().startswith("# ")
    return render(request, "catalog/prose.html",
                  {**item_context(request, course, item), "body_has_title": has_title})


def glossary(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    terms = sorted(item.terms, key=lambda term: term.term.lower())
    return render(request, "catalog/glossary.html",
                  {**item_context(request, course, item), "terms": terms})


def path(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    states = item_states(request.user, course)
    steps = []
    for item_id in item.path_items:
        step = course.item(item_id)
        if step is None:
            # Cross-course paths are not in schema 1; the validator flags unknown ids.
            continue
        state = states[step.id]
        steps.append({"item": step, "state": state, "label": STATE_LABELS[state]})
    finished = sum(1 for step in steps if step["state"] in ("done", "passed"))
    return render(request, "catalog/path.html", {
        **item_context(request, course, item), "steps": steps, "finished": finished,
        "percent": round(100 * finished / len(steps)) if steps else 0,
    })


def project(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    """A project page; its hints open one layer at a time (``?hints=N``, no JS needed)."""
    hints = item.project.hints
    try:
        shown = int(request.GET.get("hints", "0"))
    except ValueError:
        shown = 0
    shown = max(0, min(shown, len(hints)))
    context = {**item_context(request, course, item), "page": item.project,
               "submission": latest_for(request.user, course, item),
               "hints_shown": hints[:shown], "hints_count": len(hints),
               "next_hint": shown + 1 if shown < len(hints) else None}
    if request.headers.get("HX-Request") and "hints" in request.GET:
        return render(request, "catalog/_hints.html", context)
    return render(request, "catalog/project.html", context)


def flashcards(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    return render(request, "catalog/flashcards.html", item_context(request, course, item))


def lab(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    return render(request, "catalog/lab.html", item_context(request, course, item))


def capstone(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    return render(request, "catalog/capstone.html", item_context(request, course, item))


