from __future__ import annotations

from django.urls import path

from buildreal.capstones import teaching_views, views

app_name = "capstones"

urlpatterns = [
    path("courses/<slug:course_id>/<slug:item_id>/brief/save/", views.save, name="save"),
    path("courses/<slug:course_id>/<slug:item_id>/brief/submit/", views.submit,
         name="submit"),
    path("courses/<slug:course_id>/<slug:item_id>/brief/revise/", views.revise,
         name="revise"),
    path("capstones/briefs/<int:pk>/", views.partner_brief, name="brief"),
    path("capstones/briefs/<int:pk>/objections/", views.object_to, name="object"),
    path("capstones/objections/<int:pk>/respond/", views.respond, name="respond"),
    path("teaching/capstones/", teaching_views.index, name="teaching"),
    path("teaching/capstones/<int:pk>/", teaching_views.detail, name="teaching-brief"),
    path("teaching/capstones/<int:pk>/reassign/", teaching_views.reassign,
         name="reassign"),
    path("teaching/capstones/<int:pk>/end-wait/", teaching_views.end_wait,
         name="end-wait"),
    path("teaching/capstones/<int:pk>/grade/", teaching_views.grade, name="grade"),
    path("teaching/capstones/objections/<int:pk>/hide/", teaching_views.hide,
         name="hide"),
]
