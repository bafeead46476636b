"""The site's URLs. A new area adds one ``path(...)`` line to ``urlpatterns``."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

# The admin logs people in through our rate-limited form, never its own.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "buildreal administration"

urlpatterns = [
    path("", include("buildreal.catalog.urls")),
    path("", include("buildreal.assessments.urls")),
    path("", include("buildreal.labs.urls")),
    path("accounts/", include("buildreal.accounts.urls")),
    path("dashboard/", include("buildreal.progress.urls")),
    path("teaching/", include("buildreal.teaching.urls")),
    path("admin/", admin.site.urls),
]
