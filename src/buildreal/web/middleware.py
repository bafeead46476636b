"""Response headers Django 5.2 does not set itself (a Content-Security-Policy), and
log-in redirects that bring a learner back to the page they were on.

Scripts come only from our own static files (no inline script, no eval), which is what
makes an injected ``<script>`` in rendered content inert even if sanitizing ever missed
one. Styles allow inline attributes because KaTeX positions glyphs with ``style=``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    return middleware


def _page_of_the_form(request: HttpRequest) -> str | None:
    """The same-site page a POST came from (HTMX names it; a plain form sends Referer)."""
    page = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    if not page or not url_has_allowed_host_and_scheme(
            page, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    parts = urlsplit(page)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def login_returns_to_the_page(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Send a learner whose session ended mid-page to log in and then back to that page.

    ``login_required`` would return them to the URL they posted to: a POST-only answer or
    save URL, which then answers 405. And an HTMX request would follow the redirect and
    swap the whole log-in page into a question. So a redirect to log in, for a POST or an
    HTMX request, names the form's page as ``next``, and HTMX gets ``HX-Redirect``.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 302:
            return response
        is_htmx = request.headers.get("HX-Request") == "true"
        if request.method == "GET" and not is_htmx:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login:
            return response
        page = _page_of_the_form(request)
        target = f"{login}?{urlencode({'next': page})}" if page else response["Location"]
        if is_htmx:
            replacement = HttpResponse("Log in to continue.", status=401,
                                       content_type="text/plain")
            replacement["HX-Redirect"] = target
            return replacement
        response["Location"] = target
        return response

    return middleware
