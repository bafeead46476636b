"""Ship KaTeX's stylesheet (and so its fonts) only to pages that can show math.

Math is typeset on the server (packs/typeset.py), so pages load no KaTeX JavaScript.
base.html links KaTeX's stylesheet; on a full HTML page with no math on it and no HTMX
swap that could bring some (no ``hx-target``), this middleware takes the link out.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static

KATEX_FILES = ("vendor/katex/katex.min.css",)


@lru_cache(maxsize=4)
def _katex_tags(css: str) -> tuple[bytes, ...]:
    return (f'  <link rel="stylesheet" href="{css}">\n'.encode(),)


def needs_math(body: bytes) -> bool:
    return b'class="math-' in body or b"hx-target" in body


def katex_only_with_math(get_response: Callable[[HttpRequest], HttpResponse]
                         ) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (response.streaming or response.status_code != 200
                or not response.get("Content-Type", "").startswith("text/html")
                or response.has_header("Content-Encoding")):
            return response
        body = response.content
        if b"<head>" not in body or needs_math(body):
            return response
        for tag in _katex_tags(*(static(name) for name in KATEX_FILES)):
            body = body.replace(tag, b"", 1)
        response.content = body
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(body))
        return response

    return middleware
