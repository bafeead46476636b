from __future__ import annotations

from django.urls import path

from buildreal.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("assets/pygments.css", views.pygments_css, name="pygments-css"),
    path("courses/<slug:course_id>/", views.course, name="course"),
    path("courses/<slug:course_id>/figures/<str:name>", views.figure, name="figure"),
    path("courses/<slug:course_id>/<slug:item_id>/", views.item, name="item"),
    path("courses/<slug:course_id>/<slug:item_id>/complete/", views.complete, name="complete"),
]
