"""Deck pages, ratings, and the Review page. The scheduling lives in ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from buildreal.catalog.content import get_course_or_404, get_item_or_404
from buildreal.catalog.pages import item_context
from buildreal.flashcards import schedule, services
from buildreal.flashcards.cards import deck_face
from buildreal.flashcards.services import Due
from buildreal.packs.model import Course, Item


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _rating(request: HttpRequest) -> int | None:
    value = request.POST.get("rating", "")
    return int(value) if value in ("1", "2", "3", "4") else None


def _span(seconds: float) -> str:
    """A due interval the way a learner reads it: "10 min", "3 days"."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"{hours} h"
    days = round(seconds / 86400)
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{round(days / 30)} months"


def _choices(due: Due) -> list[dict[str, Any]]:
    """The four rating buttons, each with the interval the library would give."""
    at = services.now()
    state = due.state.fsrs if due.state else schedule.new_state(at)
    out = []
    for value, label in schedule.RATINGS.items():
        _next, when = schedule.review(state, value, at)
        out.append({"value": value, "label": label,
                     "interval": _span((when - at).total_seconds())})
    return out


def _announce(state: Any, left: int) -> str:
    label = schedule.RATINGS.get(state.last_rating or 0, "")
    wait = _span((state.due - services.now()).total_seconds())
    rest = f"{left} card{'s' if left != 1 else ''} left." if left else "No cards left for now."
    return f"Rated {label}. That card comes back in {wait}. {rest}"


# --- decks --------------------------------------------------------------------------------

def deck_context(request: HttpRequest, course: Course, item: Item) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return _browse_context(request, course, item)
    queue = services.deck_queue(request.user, course, item)
    current = queue[0] if queue else None
    return {
        "due": current, "left": len(queue), "total": len(item.cards),
        "choices": _choices(current) if current else [],
        "rate_url": reverse("flashcards:rate", args=[course.id, item.id]),
        "next_due": services.next_due(request.user, course, item),
        "browse": False,
    }


def _browse_context(request: HttpRequest, course: Course, item: Item) -> dict[str, Any]:
    """Browse-only: one card at a time by position in the URL; nothing is stored."""
    try:
        position = int(request.GET.get("card", "1"))
    except ValueError:
        position = 1
    position = max(1, min(position, len(item.cards)))
    card = item.cards[position - 1]
    base = reverse("catalog:item", args=[course.id, item.id])
    return {
        "due": Due(deck_face(item, card.id), course, item, None), "position": position,
        "total": len(item.cards), "browse": True,
        "next_url": f"{base}?card={position + 1}" if position < len(item.cards) else "",
        "previous_url": f"{base}?card={position - 1}" if position > 1 else "",
    }


def deck(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    return render(request, "flashcards/deck.html",
                  {**item_context(request, course, item),
                   **deck_context(request, course, item)})


@require_POST
@login_required
def rate(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course = get_course_or_404(course_id)
    item = get_item_or_404(course, item_id)
    rating = _rating(request)
    if item.kind != "flashcards":
        raise Http404("Not a deck.")
    if rating is None:
        return HttpResponseBadRequest("Choose a rating from 1 (Again) to 4 (Easy).")
    try:
        state = services.rate_deck_card(request.user, course, item,
                                        request.POST.get("card", ""), rating)
    except LookupError:
        raise Http404("No such card in this deck.") from None
    if not _is_htmx(request):
        return redirect("catalog:item", course.id, item.id)
    context = {"course": course, "item": item, **deck_context(request, course, item)}
    context["announce"] = _announce(state, context["left"])
    return render(request, "flashcards/_deck.html", context)


# --- the Review page ---------------------------------------------------------------------------

def _review_context(request: HttpRequest) -> dict[str, Any]:
    queue = services.due_today(request.user)
    current = queue[0] if queue else None
    return {
        "due": current, "left": len(queue),
        "choices": _choices(current) if current else [],
        "rate_url": reverse("flashcards:review-rate", args=[current.state.pk])
        if current else "",
    }


@require_safe
@login_required
def review(request: HttpRequest) -> HttpResponse:
    return render(request, "flashcards/review.html", _review_context(request))


@require_POST
@login_required
def review_rate(request: HttpRequest, pk: int) -> HttpResponse:
    state = services.own_state_or_none(request.user, pk)
    if state is None or services.face_of(state) is None:
        raise Http404("No such card to review.")
    rating = _rating(request)
    if rating is None:
        return HttpResponseBadRequest("Choose a rating from 1 (Again) to 4 (Easy).")
    state = services.rate_state(state, rating)
    if not _is_htmx(request):
        return redirect("flashcards:review")
    context = _review_context(request)
    context["announce"] = _announce(state, context["left"])
    return render(request, "flashcards/_review.html", context)
