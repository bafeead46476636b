"""The lab page and its chat. One page template with fragments: a plain POST redirects
back to the page; with HTMX the same URL answers with the new exchange to append, and
the state panel and composer swapped out of band."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from buildreal.catalog.content import get_catalog, get_course_or_404, get_item_or_404
from buildreal.catalog.pages import item_context
from buildreal.labs import services
from buildreal.labs.models import LabSession
from buildreal.packs.model import Course, Item
from buildreal.teaching.access import can_view_learner


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _lab_or_404(course_id: str, item_id: str) -> tuple[Course, Item]:
    course = get_course_or_404(course_id)
    item = get_item_or_404(course, item_id)
    if item.kind != "lab" or item.lab is None:
        raise Http404(f"{item.id} is not a lab.")
    return course, item


def _choice_label(item: Item, choice_id: str | None) -> str:
    for choice in item.lab.choices if item.lab else ():
        if choice.id == choice_id:
            return choice.label
    return ""


def _panel(item: Item, session: LabSession | None) -> dict[str, Any]:
    """What the state panel shows. Progress is a count: the rubric itself stays hidden."""
    state = session.state if session else {}
    return {
        "session": session,
        "choice_label": _choice_label(item, state.get("choice")),
        "covered_count": len(state.get("covered", [])),
        "needed": item.lab.completion.min_concepts if item.lab else 0,
        "hint_layer": state.get("hint_layer", 0),
        "turn_count": state.get("turns", 0),
        "max_turns": item.lab.completion.max_turns if item.lab else 0,
        "streams": services.streams(),
    }


def lab_page(request: HttpRequest, course: Course, item: Item, error: str = "",
             draft: str = "", status: int = 200) -> HttpResponse:
    """The item view for ``lab``: the scenario, the conversation so far, the composer."""
    session = services.current_session(request.user, course, item)
    if request.user.is_authenticated and (session is None or not session.done):
        services.warm_up()  # the embedder loads while the learner reads
    turns = session.transcript if session else [{"role": "partner", "text": item.lab.opening}]
    context = {
        **item_context(request, course, item),
        "lab": item.lab, "turns": turns, "error": error, "draft": draft,
        "past_sessions": LabSession.objects.filter(
            user=request.user, course_id=course.id, lab_id=item.id
        ).exclude(pk=session.pk if session else None)[:10]
        if request.user.is_authenticated else [],
        "max_chars": services.MAX_MESSAGE_CHARS,
        **_panel(item, session),
    }
    return render(request, "labs/lab.html", context, status=status)


@require_POST
@login_required
def turn(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course, item = _lab_or_404(course_id, item_id)
    session = services.current_session(request.user, course, item)
    if session is None:
        session = services.start_session(request.user, course, item)
    text = request.POST.get("message", "")
    try:
        session, reply, awarded = services.take_turn(session, course, item, text)
    except services.LabInputError as exc:
        if _is_htmx(request):
            response = render(request, "labs/_composer.html", {
                # An overlong draft comes back cut to the limit, never echoed whole.
                "course": course, "item": item, "error": str(exc),
                "draft": text[:services.MAX_MESSAGE_CHARS],
                "session": session, "max_chars": services.MAX_MESSAGE_CHARS,
                "streams": services.streams(),
            })
            # the error belongs in the form, not appended to the conversation
            response.headers["HX-Retarget"] = "#lab-compose"
            response.headers["HX-Reswap"] = "outerHTML"
            return response
        return lab_page(request, course, item, error=str(exc),
                        draft=text[:services.MAX_MESSAGE_CHARS],
                        status=429 if exc.code == "rate" else 400)
    if awarded:
        messages.success(request, f"Lab complete: +{item.xp} XP.")
    if not _is_htmx(request):
        return redirect(reverse("catalog:item", args=(course.id, item.id)) + "#chat-end")
    return render(request, "labs/_exchange.html", {
        "course": course, "item": item, "learner_text": session.transcript[-2]["text"],
        "reply": reply, "awarded": awarded, "max_chars": services.MAX_MESSAGE_CHARS,
        **_panel(item, session),
    })


@require_POST
@login_required
def restart(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course, item = _lab_or_404(course_id, item_id)
    try:
        services.restart_session(request.user, course, item)
    except services.LabInputError as exc:
        messages.error(request, str(exc))
    return redirect("catalog:item", course.id, item.id)


def _session_for_viewer_or_404(request: HttpRequest, pk: int) -> LabSession:
    """The session if the viewer may read it (its learner, or their instructor); a 404
    otherwise, so ids cannot be probed."""
    session = get_object_or_404(LabSession.objects.select_related("user"), pk=pk)
    if not can_view_learner(request.user, session.user):
        raise Http404("No such lab session.")
    return session


@require_safe
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_viewer_or_404(request, pk)
    course = get_catalog().courses.get(session.course_id)
    item = course.item(session.lab_id) if course else None
    return render(request, "labs/session.html", {
        "session": session, "course": course, "item": item,
        "title": item.title if item else session.lab_id,
        "debrief": (session.state or {}).get("debrief"),
    })


@require_safe
@login_required
def learner_sessions(request: HttpRequest, user_id: int) -> HttpResponse:
    """Every lab session of one learner: for the learner and for their instructors."""
    person = get_object_or_404(get_user_model(), pk=user_id)
    if not can_view_learner(request.user, person):
        raise Http404("No such learner.")
    sessions = LabSession.objects.filter(user=person)
    catalog = get_catalog()
    rows = []
    for session in sessions:
        course = catalog.courses.get(session.course_id)
        item = course.item(session.lab_id) if course else None
        rows.append({"session": session, "title": item.title if item else session.lab_id})
    return render(request, "labs/learner.html", {"person": person, "rows": rows})


@require_POST
@login_required
def turn_stream(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    """The same turn, answered as newline-delimited JSON while the LLM speaks:
    ``{"text": ..., "replace": bool}`` per piece, then ``{"done": true, "html": ...}``
    with the exchange fragment the HTMX path would have returned. The page falls back to
    a plain POST on any other answer."""
    course, item = _lab_or_404(course_id, item_id)
    session = services.current_session(request.user, course, item)
    if session is None:
        session = services.start_session(request.user, course, item)
    try:
        chunks, save = services.stream_turn(session, course, item,
                                            request.POST.get("message", ""))
    except services.LabInputError as exc:
        return JsonResponse({"error": str(exc), "code": exc.code},
                            status=429 if exc.code == "rate" else 400)

    def lines() -> Iterator[str]:
        for chunk in chunks:
            yield json.dumps({"text": chunk.text, "replace": chunk.replace}) + "\n"
        try:
            saved, reply, awarded = save()
        except services.LabInputError as exc:
            yield json.dumps({"error": str(exc), "code": exc.code}) + "\n"
            return
        html = render_to_string("labs/_exchange.html", {
            "course": course, "item": item, "learner_text": saved.transcript[-2]["text"],
            "reply": reply, "awarded": awarded, "max_chars": services.MAX_MESSAGE_CHARS,
            **_panel(item, saved),
        }, request=request)
        yield json.dumps({"done": True, "html": html}) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # let a proxy pass pieces through at once
    return response
