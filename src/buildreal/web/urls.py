"""The site's URLs. A new area adds one ``path(...)`` line to ``urlpatterns``."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin signs people in through our rate-limited form, never its own (whose
    POST would otherwise be an unthrottled way to guess staff passwords)."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"),
                             reverse("accounts:login"))


admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.site_header = "buildreal administration"

urlpatterns = [
    path("", include("buildreal.catalog.urls")),
    path("", include("buildreal.assessments.urls")),
    path("", include("buildreal.labs.urls")),
    path("", include("buildreal.exercises.urls")),
    path("", include("buildreal.flashcards.urls")),
    path("", include("buildreal.capstones.urls")),
    path("", include("buildreal.projectsubmit.urls")),
    path("accounts/", include("buildreal.accounts.urls")),
    path("search/", include("buildreal.search.urls")),
    path("dashboard/", include("buildreal.progress.urls")),
    path("teaching/", include("buildreal.teaching.urls")),
    path("completions/", include("buildreal.certificates.urls")),
    path("admin/", admin.site.urls),
]
