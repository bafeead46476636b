"""``/search/?q=...``: one box in the header searches both courses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from buildreal.catalog.content import get_catalog
from buildreal.search.index import Result, search

MAX_QUERY = 200
SNIPPET = 260


def _snippet(text: str) -> str:
    return text if len(text) <= SNIPPET else text[:SNIPPET].rsplit(" ", 1)[0] + " …"


def _row(result: Result) -> dict:
    passage = result.passage
    url = reverse("catalog:item", args=(passage.course_id, passage.item_id))
    course = get_catalog().courses.get(passage.course_id)
    return {
        "url": f"{url}#{passage.anchor}" if passage.anchor else url,
        "item_title": passage.item_title,
        "heading": passage.heading,
        "course_title": course.title if course else passage.course_id,
        "snippet": _snippet(passage.text),
        "glossary": passage.glossary,
        "by_words": result.by_words,
        "by_meaning": result.by_meaning,
    }


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    rows = [_row(result) for result in search(query)] if query else []
    return render(request, "search/results.html", {"query": query, "results": rows})
