"""Dark mode in the browser: follows the system setting, the toggle's choice is kept in
localStorage and applied before the page paints on the next load."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def theme_at_first_paint(page) -> str:
    # Read as soon as the parser reaches <body>: what the first paint uses.
    return page.evaluate("document.documentElement.getAttribute('data-theme')")


def test_dark_mode_follows_the_system_and_the_toggle_is_remembered(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, color_scheme="dark")
    page = context.new_page()
    page.goto("/", wait_until="commit")
    page.wait_for_selector("body", state="attached")
    assert theme_at_first_paint(page) == "dark"
    page.wait_for_load_state()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 24, 29)"
    toggle = page.get_by_role("button", name="Dark mode")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert page.evaluate("localStorage.getItem('buildreal-theme')") == "light"
    page.goto("/courses/sample/", wait_until="commit")
    page.wait_for_selector("body", state="attached")
    assert theme_at_first_paint(page) == "light"  # the stored choice beats the system's
    context.close()
