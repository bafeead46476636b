from __future__ import annotations

from django.urls import path

from buildreal.progress import views

app_name = "progress"

urlpatterns = [path("", views.dashboard, name="dashboard")]
