from __future__ import annotations

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "buildreal.catalog"
    label = "catalog"

    def ready(self) -> None:
        from buildreal.catalog import (
            checks,  # noqa: F401  (registers the pack check)
            kinds,
        )

        kinds.register_builtin_views()
