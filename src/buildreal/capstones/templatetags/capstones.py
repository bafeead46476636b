"""``{{ text|learner_markdown }}``: a learner's Markdown as sanitized HTML (nh3)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from buildreal.packs.render import render_markdown

register = template.Library()


@register.filter
def learner_markdown(text: str) -> SafeString:
    # render_markdown escapes raw HTML and passes its output through nh3 with an allow-list
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitized above


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """``{{ verdicts|get_item:objection.pk }}``: a dict lookup by a variable key."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def split_pairs(spec: str) -> list[tuple[str, str]]:
    """``"0:missing,1:partly"`` -> [("0", "missing"), ("1", "partly")]."""
    return [tuple(pair.split(":", 1)) for pair in spec.split(",")]  # type: ignore[misc]
