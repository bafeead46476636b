from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "buildreal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from buildreal.accounts import signals  # noqa: F401  (connects the receivers)
