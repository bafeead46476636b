from __future__ import annotations

from django.apps import AppConfig


class ProjectSubmitConfig(AppConfig):
    name = "buildreal.projectsubmit"
    label = "projectsubmit"
    default_auto_field = "django.db.models.BigAutoField"
