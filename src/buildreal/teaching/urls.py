from __future__ import annotations

from django.urls import path

from buildreal.teaching import views

app_name = "teaching"

urlpatterns = [
    path("", views.cohorts, name="cohorts"),
    path("<int:pk>/", views.cohort, name="cohort"),
    path("<int:pk>/learners/<int:user_id>/", views.learner, name="learner"),
]
