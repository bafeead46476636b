"""The demo corpus: every paragraph of both course packs and every glossary entry.

Passages come from ``buildreal.search.passages`` (pure Python, the site search's own
split), so a result names the course, the page and the section heading a reader would
open. The packs are read from ``$BUILDREAL_COURSES_DIR``, else ``./courses``, else the
source checkout's ``courses/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from buildreal.packs.loader import load_catalog
from buildreal.search.passages import Passage, passages_of


def courses_dir() -> Path:
    configured = os.environ.get("BUILDREAL_COURSES_DIR")
    if configured:
        return Path(configured)
    local = Path("courses")
    if local.is_dir():
        return local
    return Path(__file__).resolve().parents[4] / "courses"


def course_passages(root: Path | None = None) -> list[Passage]:
    """Every passage of every pack under ``root``; raises ``PackError`` for a bad pack."""
    return passages_of(load_catalog(root or courses_dir()))


def where(passage: Passage) -> str:
    """'course / item title > heading' for printing."""
    place = f"{passage.course_id} / {passage.item_title}"
    if passage.heading and passage.heading != passage.item_title:
        place += f" > {passage.heading}"
    return place
