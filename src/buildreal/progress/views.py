"""The learner's dashboard: total XP, completion per module, test and exam results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from buildreal.assessments.models import Attempt
from buildreal.catalog.content import get_catalog
from buildreal.catalog.outline import outline
from buildreal.certificates.services import status as completion_status
from buildreal.progress.services import total_xp


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    catalog = get_catalog()
    courses = []
    for course in sorted(catalog.courses.values(), key=lambda c: c.title):
        modules = outline(request.user, course)
        done = sum(row.done for row in modules)
        total = sum(row.total for row in modules)
        courses.append({"course": course, "modules": modules, "done": done, "total": total,
                        "percent": round(100 * done / total) if total else 0,
                        "completion": completion_status(request.user, course)})
    results = []
    for attempt in Attempt.objects.filter(user=request.user, submitted_at__isnull=False
                                          ).order_by("-submitted_at"):
        course = catalog.courses.get(attempt.course_id)
        item = course.item(attempt.item_id) if course else None
        results.append({"attempt": attempt, "course": course, "item": item})
    return render(request, "progress/dashboard.html", {
        "xp": total_xp(request.user), "courses": courses, "results": results,
    })
