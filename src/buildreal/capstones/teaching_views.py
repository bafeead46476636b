"""Instructor views of the exchange: every brief in their cohorts, reassigning a partner,
ending the wait, hiding an abusive objection, grading against the rubric. A brief outside
the instructor's cohorts is a 404, as for learners."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from buildreal.capstones import briefs, services
from buildreal.capstones.models import Brief, Grade, Objection
from buildreal.capstones.views import _parts_of


def _taught_or_404(request: HttpRequest, pk: int) -> Brief:
    brief = services.briefs_taught_by(request.user).filter(pk=pk).first()
    if brief is None:
        raise Http404("No such brief in your cohorts.")
    return brief


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    rows = services.briefs_taught_by(request.user).select_related("user", "partner__user"
                                                                  ).order_by("item_id", "pk")
    return render(request, "capstones/teaching_index.html", {"briefs": rows})


@require_safe
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _detail(request: HttpRequest, pk: int, error: str = "", status: int = 200
            ) -> HttpResponse:
    brief = _taught_or_404(request, pk)
    course, item = _parts_of(brief)
    brief = services.refresh(brief, course, item)
    grade = Grade.objects.filter(brief=brief).first()
    scores = grade.scores if grade else {}
    candidates = services.briefs_taught_by(request.user).filter(
        course_id=brief.course_id, item_id=brief.item_id, submitted_at__isnull=False
    ).exclude(pk=brief.pk).select_related("user")
    return render(request, "capstones/teaching_brief.html", {
        "course": course, "item": item, "brief": brief, "steps": services.steps(brief),
        "objections": brief.objections.select_related("author", "response").all(),
        "written": services.written_by_me(brief).select_related("response"),
        "diff": briefs.diff(brief.first_version, brief.revision) if brief.revised_at else [],
        "grade": grade, "rubric": [(c, scores.get(c.id)) for c in item.capstone.rubric],
        "candidates": candidates, "error": error,
    }, status=status)


@require_POST
@login_required
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _taught_or_404(request, pk)
    try:
        other = _taught_or_404(request, int(request.POST.get("partner", "0")))
        services.reassign(brief, other)
    except (ValueError, Http404):
        return _detail(request, pk, "Choose a brief from the list.", 400)
    except briefs.InputError as exc:
        return _detail(request, pk, str(exc), 400)
    messages.success(request, "Partner reassigned.")
    return redirect("capstones:teaching-brief", brief.pk)


@require_POST
@login_required
def end_wait(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _taught_or_404(request, pk)
    course, item = _parts_of(brief)
    services.end_wait(brief, course, item)
    messages.success(request, "Wait ended: the lab partner steps in if no peer is paired.")
    return redirect("capstones:teaching-brief", brief.pk)


@require_POST
@login_required
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection, pk=pk)
    brief = _taught_or_404(request, objection.brief_id)
    services.hide(objection, request.user)
    messages.success(request, "Objection hidden from the learner.")
    return redirect("capstones:teaching-brief", brief.pk)


@require_POST
@login_required
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _taught_or_404(request, pk)
    course, item = _parts_of(brief)
    scores = {}
    for concept in item.capstone.rubric:
        value = request.POST.get(f"score-{concept.id}", "")
        if value in ("0", "1", "2"):
            scores[concept.id] = int(value)
    try:
        services.grade(brief, item, request.user, scores, request.POST.get("comment", ""))
    except briefs.InputError as exc:
        return _detail(request, pk, str(exc), 400)
    messages.success(request, "Grade saved.")
    return redirect("capstones:teaching-brief", brief.pk)
