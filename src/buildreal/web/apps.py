from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "buildreal.web"
    label = "web"
    verbose_name = "buildreal site"

    def ready(self) -> None:
        from buildreal.web import checks  # noqa: F401  (registers the asset check)
