"""Lesson pages with runnable content; predictions; notebooks; built output figures."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from buildreal.catalog.content import get_course_or_404, get_item_or_404
from buildreal.catalog.pages import item_context
from buildreal.catalog.rendering import glossary_anchor
from buildreal.exercises import outputs
from buildreal.exercises.content import Box, block_of, body_html, render_box
from buildreal.exercises.models import PREDICTION_MAX_LENGTH, Prediction
from buildreal.packs.model import Course, Item
from buildreal.packs.notebook import build_notebook, has_notebook, notebook_json

PROSE_KINDS = ("lesson", "page", "synthesis")
WIDGET_LINE = re.compile(r"^ {0,3}:{3,}\s*widget\s", re.MULTILINE)


def _page(request: HttpRequest, course: Course, item: Item,
          boxes: dict[int, Box] | None = None, status: int = 200) -> HttpResponse:
    has_title = item.body.lstrip().startswith("# ")
    return render(request, "exercises/prose.html", {
        **item_context(request, course, item), "body_has_title": has_title,
        "body": body_html(request, course, item, boxes),
        "has_notebook": has_notebook(item),
        "has_widget": bool(WIDGET_LINE.search(item.body)),
    }, status=status)


def prose_page(request: HttpRequest, course: Course, item: Item) -> HttpResponse:
    return _page(request, course, item)


def _validate(text: str) -> str:
    """The problem with a typed prediction, or "" when it can be kept."""
    if "\x00" in text:
        return "Your prediction contains a NUL character; remove it and try again."
    if not text.strip():
        return "Type what you expect the code to print before revealing the output."
    if len(text) > PREDICTION_MAX_LENGTH:
        return (f"Keep your prediction under {PREDICTION_MAX_LENGTH} characters "
                f"(it has {len(text)}).")
    return ""


@require_POST
def predict(request: HttpRequest, course_id: str, item_id: str, ordinal: int) -> HttpResponse:
    """Keep a signed-in learner's prediction, then show the output and the explanation.

    Anonymous visitors get the reveal too; nothing is stored for them. HTMX gets the box;
    a plain form post gets the page back (signed in: by redirect, as the page now shows
    the stored prediction).
    """
    course = get_course_or_404(course_id)
    item = get_item_or_404(course, item_id)
    block = block_of(item, ordinal) if item.kind in PROSE_KINDS else None
    if block is None:
        raise Http404("No such prediction exercise on this page.")
    text = request.POST.get("prediction", "")
    error = _validate(text)
    htmx = bool(request.headers.get("HX-Request"))
    if error:
        typed = text.replace("\x00", "")[:PREDICTION_MAX_LENGTH]
        box = Box(block, None, error, typed)
        if htmx:
            # 200 so HTMX swaps the message in; the box says what to fix.
            return HttpResponse(render_box(request, course, item, box))
        return _page(request, course, item, {ordinal: box}, status=400)
    text = text.strip()
    if request.user.is_authenticated:
        Prediction.objects.update_or_create(
            user=request.user, course_id=course.id, item_id=item.id, ordinal=ordinal,
            defaults={"text": text, "content_hash": item.content_hash})
    box = Box(block, text, just_revealed=True)
    if htmx:
        return HttpResponse(render_box(request, course, item, box))
    if request.user.is_authenticated:
        return redirect(f"{reverse('catalog:item', args=(course.id, item.id))}"
                        f"#predict-{ordinal}")
    return _page(request, course, item, {ordinal: box})


@require_safe
def notebook(request: HttpRequest, course_id: str, item_id: str) -> HttpResponse:
    course = get_course_or_404(course_id)
    item = get_item_or_404(course, item_id)
    if not has_notebook(item):
        raise Http404("This page has no code to run, so it has no notebook.")
    links = _notebook_links(request, course)
    text = notebook_json(build_notebook(item, link_for=links, outputs=outputs.lookup,
                                        read_file=outputs.read_file))
    response = HttpResponse(text, content_type="application/x-ipynb+json")
    response.headers["Content-Disposition"] = f'attachment; filename="{item.id}.ipynb"'
    return response


def _notebook_links(request: HttpRequest, course: Course):  # noqa: ANN202
    """Pack links as absolute site addresses (a notebook is read away from the site)."""
    glossary = next((i for i in course.items() if i.kind == "glossary"), None)

    def link_for(target: str) -> str:
        if target.startswith("item:"):
            ident, _, anchor = target[len("item:"):].partition("#")
            url = reverse("catalog:item", args=(course.id, ident))
            return request.build_absolute_uri(url) + (f"#{anchor}" if anchor else "")
        if target.startswith("glossary:") and glossary is not None:
            url = reverse("catalog:item", args=(course.id, glossary.id))
            anchor = glossary_anchor(target[len("glossary:"):])
            return request.build_absolute_uri(url) + f"#{anchor}"
        if target.startswith("figures/"):
            url = reverse("catalog:figure", args=(course.id, target[len("figures/"):]))
            return request.build_absolute_uri(url)
        return target

    return link_for


@require_safe
def output(request: HttpRequest, course_id: str, key: str, name: str) -> FileResponse:
    get_course_or_404(course_id)
    path = outputs.find_file(key, name)
    if path is None:
        raise Http404("No such output figure.")
    response = FileResponse(path.open("rb"))
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Cache-Control"] = "public, max-age=86400, immutable"
    return response
