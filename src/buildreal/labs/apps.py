from __future__ import annotations

from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "buildreal.labs"
    label = "labs"

    def ready(self) -> None:
        from buildreal.catalog.kinds import register_item_view
        from buildreal.labs import checks, views  # noqa: F401 - checks register themselves

        register_item_view("lab", views.lab_page)
