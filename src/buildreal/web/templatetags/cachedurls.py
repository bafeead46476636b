"""``{% url %}`` with its answers remembered: installed as a template builtin (settings
``TEMPLATES[...]["OPTIONS"]["builtins"]``), so every template's ``{% url %}`` uses it.

A lesson page reversed about fifteen URLs per request (site navigation, breadcrumbs,
previous and next, forms); the URL configuration never changes while a process runs, so
the same view name and arguments always give the same path. Answers are kept per
URLconf and script prefix, in a bounded LRU, and forgotten when a test swaps settings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Library, defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = Library()


@lru_cache(maxsize=4096)
def _reverse(view_name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...],
             current_app: str | None, urlconf: Any, root: str, prefix: str) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app,
                   urlconf=urlconf)


def cached_reverse(view_name: str, args: list[Any], kwargs: dict[str, Any],
                   current_app: str | None) -> str:
    try:
        return _reverse(view_name, tuple(args), tuple(sorted(kwargs.items())), current_app,
                        get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())
    except TypeError:  # an unhashable argument: reverse it afresh
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    _reverse.cache_clear()


class CachedURLNode(defaulttags.URLNode):
    """Django's URLNode.render with ``reverse`` replaced by ``cached_reverse``."""

    def render(self, context: Any) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Any, token: Any) -> CachedURLNode:
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
