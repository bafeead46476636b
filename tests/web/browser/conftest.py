"""Playwright on Debian's Chromium, headless, against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: run scripts/setup.sh (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself would otherwise be refused as "async unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server) -> Callable[[object, str], object]:
    """``sign_in(context, username)``: a new learner whose session cookie the browser
    context carries; returns the logged-in Django test client for server-side set-up."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    def _sign_in(context: object, username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.create_user(username, password=None))
        context.add_cookies([{"name": "sessionid",  # type: ignore[attr-defined]
                              "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
        return client

    return _sign_in
