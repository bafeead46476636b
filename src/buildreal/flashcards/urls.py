from __future__ import annotations

from django.urls import path

from buildreal.flashcards import views

app_name = "flashcards"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("review/cards/<int:pk>/rate/", views.review_rate, name="review-rate"),
    path("courses/<slug:course_id>/<slug:item_id>/cards/rate/", views.rate, name="rate"),
]
