"""The toolkit token page, the submission endpoint the toolkit posts to, and the
instructor's view of a learner's project evidence."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from buildreal.projectsubmit import services, tokens
from buildreal.projectsubmit.models import ProjectSubmission, ToolkitToken
from buildreal.teaching.views import _own_cohort_or_404


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_page(request: HttpRequest) -> HttpResponse:
    """Make, replace or revoke the learner's toolkit token. A new token is shown in this
    one response only; the site keeps its hash."""
    new_token = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            tokens.revoke(request.user)
            return redirect("projectsubmit:token")
        new_token = tokens.issue(request.user)
    current = ToolkitToken.objects.filter(user=request.user).first()
    site = request.build_absolute_uri("/").rstrip("/")
    response = render(request, "projectsubmit/token.html",
                      {"current": current, "new_token": new_token, "site": site})
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message}, status=status)


@csrf_exempt  # authenticated by the toolkit token, not by a session cookie
@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    user = tokens.user_for(_bearer(request))
    if user is None:
        return _error(401, "The toolkit token is missing, wrong or revoked. Make a new one "
                           "on your account's Toolkit token page and set BUILDREAL_TOKEN.")
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _error(400, "The submission is not valid JSON.")
    try:
        outcome = services.accept(user, payload)
    except services.SubmissionError as exc:
        return _error(422, str(exc))
    item = outcome.item
    page = request.build_absolute_uri(reverse("catalog:item", args=(outcome.course.id,
                                                                     item.id)))
    if outcome.submission.passed:
        message = (f"{item.title}: every Definition of Done item passes. Project complete"
                   + (f", +{item.xp} XP." if outcome.completed_now else " (already counted)."))
    else:
        failing = [e["item"] for e in outcome.submission.items
                   if not (e["checks"] and all(c["passed"] for c in e["checks"]))]
        message = (f"{item.title}: recorded, not complete: {len(failing)} item(s) do not "
                   f"pass yet ({'; '.join(failing)}).")
    return JsonResponse({"ok": True, "passed": outcome.submission.passed,
                         "completed": outcome.completed_now, "message": message,
                         "url": page}, status=201)


@require_safe
@login_required
def learner_evidence(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """(Instructors) a learner's project submissions with every verdict and file hash."""
    group = _own_cohort_or_404(request, pk)
    person = group.learners.filter(pk=user_id).first()
    if person is None:
        raise Http404("No such learner in this cohort.")
    submissions = ProjectSubmission.objects.filter(user=person)[:50]
    return render(request, "projectsubmit/evidence.html",
                  {"cohort": group, "person": person, "submissions": submissions})
