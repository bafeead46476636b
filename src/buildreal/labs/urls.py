from __future__ import annotations

from django.urls import path

from buildreal.labs import views

app_name = "labs"

urlpatterns = [
    path("courses/<slug:course_id>/<slug:item_id>/lab/turn/", views.turn, name="turn"),
    path("courses/<slug:course_id>/<slug:item_id>/lab/stream/", views.turn_stream,
         name="stream"),
    path("courses/<slug:course_id>/<slug:item_id>/lab/restart/", views.restart,
         name="restart"),
    path("labs/sessions/<int:pk>/", views.session_detail, name="session"),
    path("labs/learners/<int:user_id>/", views.learner_sessions, name="learner"),
]
