"""Which view renders each item kind.

The catalog renders prose and read-only pages itself; other apps claim their kinds in
their ``AppConfig.ready`` (assessments takes quiz/test/exam; a labs app can take ``lab``)
by calling ``register_item_view``. A later registration replaces an earlier one, so a
richer page simply supersedes the read-only one.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from buildreal.packs.model import Course, Item

ItemView = Callable[[HttpRequest, Course, Item], HttpResponse]

_views: dict[str, ItemView] = {}


def register_item_view(kind: str, view: ItemView) -> None:
    _views[kind] = view


def view_for(kind: str) -> ItemView:
    return _views.get(kind, _views["page"])


def register_builtin_views() -> None:
    from buildreal.catalog import pages

    for kind in ("lesson", "page", "synthesis"):
        _views.setdefault(kind, pages.prose)
    _views.setdefault("glossary", pages.glossary)
    _views.setdefault("path", pages.path)
    _views.setdefault("project", pages.project)
    _views.setdefault("flashcards", pages.flashcards)
    _views.setdefault("lab", pages.lab)
    _views.setdefault("capstone", pages.capstone)
