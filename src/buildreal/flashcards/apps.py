from __future__ import annotations

from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "buildreal.flashcards"
    label = "flashcards"

    def ready(self) -> None:
        from buildreal.catalog.kinds import register_item_view
        from buildreal.flashcards import mistakes, views

        register_item_view("flashcards", views.deck)
        mistakes.connect()
