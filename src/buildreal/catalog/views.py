"""Catalog, course outline, item pages (dispatched by kind), figures, mark-complete."""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe
from pygments.formatters import HtmlFormatter

from buildreal.catalog import figures, kinds
from buildreal.catalog.content import get_catalog, get_course_or_404, get_item_or_404
from buildreal.catalog.outline import outline
from buildreal.catalog.pages import READ_TO_COMPLETE
from buildreal.progress.services import award_completion


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    courses = sorted(get_catalog().courses.values(), key=lambda course: course.title)
    return render(request, "catalog/index.html", {"courses": courses})


@require_safe
def course(request: HttpRequest, course_id: str) -> HttpResponse:
    course = get_course_or_404(course_id)
    modules = outline(request.user, course)
    done = sum(row.done for row in modules)
    total = sum(row.total for row in modules)
    return render(request, "catalog/course.html", {
        "course": course, "modules": modules, "done": done, "total": total,
        "percent": round(100 * done / total) if total else 0,
    })


@require_safe
def item(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course = get_course_or_404(course_id)
    found = get_item_or_404(course, item_id)
    return kinds.view_for(found.kind)(request, course, found)


@require_POST
@login_required
def complete(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course = get_course_or_404(course_id)
    found = get_item_or_404(course, item_id)
    if found.kind not in READ_TO_COMPLETE:
        raise Http404("This item is completed by answering it, not by marking it.")
    award_completion(request.user, course, found)
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_complete.html",
                      {"course": course, "item": found, "completed": True})
    return redirect("catalog:item", course.id, found.id)


@require_safe
def figure(request: HttpRequest, course_id: str, name: str) -> FileResponse:
    course = get_course_or_404(course_id)
    path = figures.find(course, name)
    if path is None:
        raise Http404(f"No figure {name!r} in {course_id}.")
    response = FileResponse(path.open("rb"))
    # An SVG opened on its own must not run script even if a figure script wrote some.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@lru_cache(maxsize=1)
def _pygments_css() -> str:
    # "xcode": every token colour keeps a 4.5:1 contrast on the code background (WCAG AA),
    # which "friendly" did not (tests/web/test_code_contrast.py).
    return HtmlFormatter(style="xcode").get_style_defs(".highlight")


@require_safe
@cache_control(public=True, max_age=86400)
def pygments_css(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_pygments_css(), content_type="text/css; charset=utf-8")
