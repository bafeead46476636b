from __future__ import annotations

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "buildreal.certificates"
    label = "certificates"

    def ready(self) -> None:
        from buildreal.certificates import signals  # noqa: F401  (connects the receiver)
