from __future__ import annotations

from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "buildreal.teaching"
    label = "teaching"
