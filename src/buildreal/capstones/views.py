"""The capstone page (the learner's whole exchange), the partner's brief, and the forms
that move the exchange on. Rules live in ``services``; privacy is enforced here: every
object is looked up through the viewer, and anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from buildreal.capstones import briefs, services
from buildreal.capstones.models import Brief, Grade, Objection
from buildreal.catalog.content import get_catalog, get_course_or_404, get_item_or_404
from buildreal.catalog.pages import item_context
from buildreal.packs.model import Course, Item


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _capstone_or_404(course_id: str, item_id: str) -> tuple[Course, Item]:
    course = get_course_or_404(course_id)
    item = get_item_or_404(course, item_id)
    if item.kind != "capstone":
        raise Http404("Not a capstone.")
    return course, item


def _parts_of(brief: Brief) -> tuple[Course, Item]:
    course = get_catalog().courses.get(brief.course_id)
    item = course.item(brief.item_id) if course else None
    if item is None or item.kind != "capstone":
        raise Http404("This capstone is no longer in the course.")
    return course, item


def _exchange(request: HttpRequest, course: Course, item: Item) -> dict[str, Any]:
    brief = None
    if request.user.is_authenticated:
        brief = services.brief_for(request.user, course, item)
        if brief is not None:
            brief = services.refresh(brief, course, item)
    steps = services.steps(brief)
    mode = services.writing(brief) if request.user.is_authenticated else ""
    text = brief.draft if brief else ""
    received = list(services.received(brief).select_related("response")) if brief else []
    grade = Grade.objects.filter(brief=brief).first() if brief else None
    return {
        "grade": grade,
        "graded": [(c, grade.scores.get(c.id)) for c in item.capstone.rubric] if grade else [],
        "brief": brief, "steps": steps, "mode": mode, "text": text,
        "words": briefs.word_count(text),
        "checklist": briefs.checklist(text, item.capstone.required_sections),
        "partner": brief.partner if brief else None,
        "received": received,
        "written": list(services.written_by_me(brief)) if brief else [],
        "verdicts": services.verdicts(brief, item) if brief else {},
        "diff": briefs.diff(brief.first_version, brief.revision)
        if brief and brief.revised_at else [],
        "objection_slots": range(1, 3),
        "max_brief": briefs.MAX_BRIEF_CHARS,
    }


def capstone_page(request: HttpRequest, course: Course, item: Item, error: str = "",
                  status: int = 200, text: str | None = None) -> HttpResponse:
    context = {**item_context(request, course, item), **_exchange(request, course, item),
               "error": error}
    if text is not None:
        context.update(text=text, words=briefs.word_count(text),
                       checklist=briefs.checklist(text, item.capstone.required_sections))
    return render(request, "capstones/capstone.html", context, status=status)


@require_POST
@login_required
def save(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    """Autosave (HTMX, as the learner types): the status line and a safe preview."""
    course, item = _capstone_or_404(course_id, item_id)
    brief = services.brief_for(request.user, course, item, create=True)
    text = request.POST.get("text", "")
    context: dict[str, Any] = {"course": course, "item": item}
    try:
        brief = services.save_draft(brief, text)
        context.update(brief=brief, text=brief.draft, words=briefs.word_count(brief.draft),
                       checklist=briefs.checklist(brief.draft,
                                                  item.capstone.required_sections))
    except briefs.InputError as exc:
        context["error"] = str(exc)
    if not _is_htmx(request):
        if "error" in context:
            return capstone_page(request, course, item, context["error"], 400, text=text)
        return redirect("catalog:item", course.id, item.id)
    return render(request, "capstones/_save_status.html", context)


@require_POST
@login_required
def submit(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course, item = _capstone_or_404(course_id, item_id)
    brief = services.brief_for(request.user, course, item, create=True)
    text = request.POST.get("text", "")
    try:
        services.submit(brief, item, text)
    except briefs.InputError as exc:
        if "\x00" not in text and len(text) <= briefs.MAX_BRIEF_CHARS \
                and services.writing(brief) == "first":
            services.save_draft(brief, text)  # keep what was typed
        return capstone_page(request, course, item, str(exc), 400,
                             text=text.replace("\x00", ""))
    messages.success(request, "Brief submitted.")
    return redirect("catalog:item", course.id, item.id)


@require_POST
@login_required
def revise(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course, item = _capstone_or_404(course_id, item_id)
    brief = services.brief_for(request.user, course, item)
    if brief is None:
        raise Http404("No brief.")
    text = request.POST.get("text", "")
    try:
        services.revise(brief, course, item, text)
    except briefs.InputError as exc:
        return capstone_page(request, course, item, str(exc), 400,
                             text=text.replace("\x00", ""))
    if brief.completed_at:
        messages.success(request, f"Capstone complete: +{item.xp} XP.")
    return redirect("catalog:item", course.id, item.id)


def _viewable_brief(request: HttpRequest, pk: int) -> Brief:
    """A brief the viewer may read: their own, their peer partner's, or one of their
    cohorts' (instructors). Anything else is a 404, whether or not it exists."""
    brief = get_object_or_404(Brief.objects.select_related("partner"), pk=pk,
                              submitted_at__isnull=False)
    me = request.user
    if brief.user_id == me.pk:
        return brief
    if brief.partner is not None and brief.partner.user_id == me.pk:
        return brief
    if services.briefs_taught_by(me).filter(pk=brief.pk).exists():
        return brief
    raise Http404("No such brief.")


@require_safe
@login_required
def partner_brief(request: HttpRequest, pk: int) -> HttpResponse:
    brief = _viewable_brief(request, pk)
    course, item = _parts_of(brief)
    mine = brief.partner if brief.user_id != request.user.pk else None
    is_partner = mine is not None and mine.user_id == request.user.pk
    return render(request, "capstones/partner_brief.html", {
        "course": course, "item": item, "brief": brief, "is_partner": is_partner,
        "my_brief": mine if is_partner else None,
        "written": list(services.written_by_me(mine)) if is_partner else [],
        "parts": [h for h in briefs.headings(brief.first_version)],
        "objection_slots": range(1, 3),
    })


@require_POST
@login_required
def object_to(request: HttpRequest, pk: int) -> HttpResponse:
    """Two objections to the partner's brief ``pk`` (only its current partner may)."""
    target = get_object_or_404(Brief.objects.select_related("partner"), pk=pk,
                               submitted_at__isnull=False)
    mine = target.partner
    if mine is None or mine.user_id != request.user.pk:
        raise Http404("No such brief.")
    entries = [(request.POST.get(f"part-{n}", ""), request.POST.get(f"text-{n}", ""))
               for n in (1, 2)]
    try:
        services.write_objections(mine, entries)
    except briefs.InputError as exc:
        course, item = _parts_of(target)
        return render(request, "capstones/partner_brief.html", {
            "course": course, "item": item, "brief": target, "is_partner": True,
            "my_brief": mine, "written": [], "error": str(exc),
            "parts": briefs.headings(target.first_version), "objection_slots": range(1, 3),
            "entries": entries,
        }, status=400)
    course, item = _parts_of(target)
    services.complete_if_done(mine, course, item)
    messages.success(request, "Objections sent to your partner.")
    return redirect("catalog:item", course.id, item.id)


@require_POST
@login_required
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("brief"), pk=pk)
    brief = objection.brief
    if brief.user_id != request.user.pk or not services.received(brief).filter(
            pk=objection.pk).exists():
        raise Http404("No such objection.")
    course, item = _parts_of(brief)
    try:
        services.respond(objection, request.POST.get("text", ""))
    except briefs.InputError as exc:
        return capstone_page(request, course, item, str(exc), 400)
    return redirect("catalog:item", course.id, item.id)
