"""Instructor pages: my cohorts, one cohort's learners, one learner's progress.

Every lookup is scoped to the requesting instructor, so a cohort or learner id that is
not theirs answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from buildreal.assessments.models import Attempt
from buildreal.catalog.content import get_catalog
from buildreal.catalog.outline import outline
from buildreal.certificates.models import CourseCompletion
from buildreal.progress.models import Completion
from buildreal.teaching.models import Cohort


def _own_cohort_or_404(request: HttpRequest, pk: int) -> Cohort:
    try:
        return Cohort.objects.get(pk=pk, instructor=request.user)
    except Cohort.DoesNotExist:
        raise Http404("No such cohort.") from None


@require_safe
@login_required
def cohorts(request: HttpRequest) -> HttpResponse:
    taught = Cohort.objects.filter(instructor=request.user).order_by("name")
    return render(request, "teaching/cohorts.html", {"cohorts": taught})


@require_safe
@login_required
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    group = _own_cohort_or_404(request, pk)
    learners = group.learners.order_by("username")
    xp = dict(Completion.objects.filter(user__in=learners).values_list("user")
              .annotate(total=Sum("xp")).values_list("user", "total"))
    results: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(user__in=learners, submitted_at__isnull=False):
        results.setdefault(attempt.user_id, []).append(attempt)
    rows = [{"learner": learner, "xp": xp.get(learner.pk, 0),
             "passed": sum(1 for a in results.get(learner.pk, []) if a.passed),
             "failed": sum(1 for a in results.get(learner.pk, []) if not a.passed)}
            for learner in learners]
    finished = CourseCompletion.objects.filter(user__in=learners).select_related("user")
    return render(request, "teaching/cohort.html", {"cohort": group, "rows": rows,
                                                    "completions": finished})


@require_safe
@login_required
def learner(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    group = _own_cohort_or_404(request, pk)
    person = group.learners.filter(pk=user_id).first()
    if person is None:
        raise Http404("No such learner in this cohort.")
    catalog = get_catalog()
    courses = [{"course": course, "modules": outline(person, course)}
               for course in sorted(catalog.courses.values(), key=lambda c: c.title)]
    attempts = Attempt.objects.filter(user=person, submitted_at__isnull=False
                                      ).order_by("-submitted_at")
    return render(request, "teaching/learner.html", {
        "cohort": group, "person": person, "courses": courses, "attempts": attempts,
        "xp": Completion.objects.filter(user=person).aggregate(t=Sum("xp"))["t"] or 0,
    })
