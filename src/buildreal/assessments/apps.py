from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "buildreal.assessments"
    label = "assessments"

    def ready(self) -> None:
        from buildreal.assessments import views
        from buildreal.catalog.kinds import register_item_view

        register_item_view("quiz", views.quiz_page)
        for kind in ("test", "exam"):
            register_item_view(kind, views.test_page)
