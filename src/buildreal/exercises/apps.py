from __future__ import annotations

from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "buildreal.exercises"
    label = "exercises"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from buildreal.catalog.kinds import register_item_view
        from buildreal.exercises.views import prose_page

        # Same page as the catalog's, plus outputs, predict boxes, notebook link, widgets.
        for kind in ("lesson", "page", "synthesis"):
            register_item_view(kind, prose_page)
