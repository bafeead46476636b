from __future__ import annotations

from django.urls import path

from buildreal.assessments import views, visitor_views

app_name = "assessments"

urlpatterns = [
    path("courses/<slug:course_id>/<slug:item_id>/questions/<slug:question_id>/answer/",
         views.quiz_answer, name="quiz-answer"),
    path("courses/<slug:course_id>/<slug:item_id>/questions/<slug:question_id>/show/",
         views.quiz_show, name="quiz-show"),
    path("courses/<slug:course_id>/<slug:item_id>/questions/<slug:question_id>/try/",
         visitor_views.quiz_try, name="quiz-try"),
    path("courses/<slug:course_id>/<slug:item_id>/questions/<slug:question_id>/try-show/",
         visitor_views.quiz_try_show, name="quiz-try-show"),
    path("courses/<slug:course_id>/<slug:item_id>/attempts/", views.start_attempt,
         name="start"),
    path("attempts/<int:pk>/", views.attempt_page, name="attempt"),
    path("attempts/<int:pk>/save/", views.attempt_save, name="save"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="submit"),
]
