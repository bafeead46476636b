"""A lesson body with its outputs and its predict boxes.

The pack renderer writes the body once per item version (cached); the predict boxes
depend on the learner, so they are rendered per request into the slots the renderer
left (``<div class="predict-slot" data-ordinal="N">``, a string only the renderer can
write: authors' raw HTML is escaped before it gets there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from buildreal.catalog.rendering import _urls
from buildreal.exercises import outputs
from buildreal.exercises.models import Prediction
from buildreal.packs.model import Course, Item
from buildreal.packs.predict import PredictBlock, predict_blocks
from buildreal.packs.render import render_markdown, render_output
from buildreal.web.hotsql import Select

SLOT = re.compile(r'<div class="predict-slot" data-ordinal="(\d+)"></div>')


def _output_url(course_id: str):  # noqa: ANN202
    def output_url(key: str, name: str) -> str:
        return reverse("exercises:output", args=(course_id, key, name))
    return output_url


@lru_cache(maxsize=2048)
def _body(course_id: str, text: str, generation: int) -> str:
    return render_markdown(text, **_urls(course_id), outputs=outputs.lookup,
                           output_url=_output_url(course_id))


@lru_cache(maxsize=2048)
def _answer(course_id: str, code: str, explanation: str, generation: int) -> str:
    output = outputs.lookup(code)
    shown = render_output(output, output_url=_output_url(course_id)) if output else ""
    return shown + render_markdown(explanation, **_urls(course_id))


@dataclass(frozen=True)
class Box:
    """What one predict box shows: the form, or the prediction and the answer."""

    block: PredictBlock
    prediction: str | None = None  # None: not revealed yet
    error: str = ""
    typed: str = ""  # what the learner typed, given back with an error
    just_revealed: bool = False  # revealed by this request: the page moves focus to it


def block_of(item: Item, ordinal: int) -> PredictBlock | None:
    return next((b for b in predict_blocks(item.body) if b.ordinal == ordinal), None)


# Read on every lesson page with predict boxes; the SQL is built once (web/hotsql.py).
_PREDICTIONS = Select(Prediction, ["ordinal", "text"],
                      "{user} = %s AND {course_id} = %s AND {item_id} = %s",
                      ["user", "course_id", "item_id"])


def stored_predictions(request: HttpRequest, course: Course, item: Item) -> dict[int, str]:
    if not request.user.is_authenticated:
        return {}
    return dict(_PREDICTIONS.rows(request.user.pk, course.id, item.id))


def render_box(request: HttpRequest, course: Course, item: Item, box: Box) -> SafeString:
    answer = ""
    if box.prediction is not None:
        # Sanitized by the pack renderer (output escaped, explanation through nh3).
        answer = mark_safe(_answer(course.id, box.block.code,  # noqa: S308
                                   box.block.explanation, outputs.generation()))
    return mark_safe(render_to_string("exercises/_predict.html", {  # noqa: S308
        "course": course, "item": item, "block": box.block, "prediction": box.prediction,
        "error": box.error, "answer": answer, "typed": box.typed,
        "just_revealed": box.just_revealed,
        "signed_in": request.user.is_authenticated,
    }, request=request))


def body_html(request: HttpRequest, course: Course, item: Item,
              boxes: dict[int, Box] | None = None) -> SafeString:
    """The item's body: outputs under executed code, each predict slot filled."""
    html = _body(course.id, item.body, outputs.generation())
    blocks = {block.ordinal: block for block in predict_blocks(item.body)}
    stored = stored_predictions(request, course, item) if blocks else {}
    boxes = boxes or {}

    def fill(match: re.Match[str]) -> str:
        ordinal = int(match.group(1))
        block = blocks.get(ordinal)
        if block is None:
            return ""
        box = boxes.get(ordinal) or Box(block, stored.get(ordinal))
        return render_box(request, course, item, box)

    return mark_safe(SLOT.sub(fill, html))  # noqa: S308


def clear_cache() -> None:
    _body.cache_clear()
    _answer.cache_clear()
