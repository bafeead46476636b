from __future__ import annotations

from django.apps import AppConfig


class CapstonesConfig(AppConfig):
    name = "buildreal.capstones"
    label = "capstones"

    def ready(self) -> None:
        from buildreal.capstones import views
        from buildreal.catalog.kinds import register_item_view

        register_item_view("capstone", views.capstone_page)
