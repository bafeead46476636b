from __future__ import annotations

from django.urls import path

from buildreal.exercises import views

app_name = "exercises"

urlpatterns = [
    path("courses/<slug:course_id>/outputs/<str:key>/<str:name>", views.output,
         name="output"),
    path("courses/<slug:course_id>/<slug:item_id>/notebook.ipynb", views.notebook,
         name="notebook"),
    path("courses/<slug:course_id>/<slug:item_id>/predict/<int:ordinal>/", views.predict,
         name="predict"),
]
