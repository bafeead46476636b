from __future__ import annotations

from django.urls import path

from buildreal.certificates import views

app_name = "certificates"

urlpatterns = [
    path("<str:code>/", views.verify, name="verify"),
    path("<str:code>.pdf", views.verify_pdf, name="pdf"),
]
