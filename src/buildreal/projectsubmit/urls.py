from __future__ import annotations

from django.urls import path

from buildreal.projectsubmit import views

app_name = "projectsubmit"

urlpatterns = [
    path("accounts/toolkit-token/", views.token_page, name="token"),
    path("api/projects/submissions/", views.submit, name="submit"),
    path("teaching/<int:pk>/learners/<int:user_id>/projects/", views.learner_evidence,
         name="evidence"),
]
