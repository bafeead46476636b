from __future__ import annotations

from django.apps import AppConfig


class ModuleChecksConfig(AppConfig):
    name = "buildreal.modulechecks"
    label = "modulechecks"

    def ready(self) -> None:
        from buildreal.catalog.kinds import register_item_view
        from buildreal.modulechecks import views

        register_item_view("module-check", views.check_page)
