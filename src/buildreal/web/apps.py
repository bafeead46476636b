from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "buildreal.web"
    label = "web"
    verbose_name = "buildreal site"
