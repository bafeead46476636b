"""axe-core (from npm, copied by scripts/setup.sh) reports no violations on any page type,
at a desktop width and a 390 px phone width, and no page scrolls sideways on the phone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
pytestmark = pytest.mark.django_db(transaction=True)

# One page of every type a learner (or an instructor) meets; the signed-in ones marked.
PAGES = [
    ("home", "/", False),
    ("course outline", "/courses/sample/", False),
    ("lesson with math", "/courses/sample/m1-l1/", False),
    ("lesson", "/courses/sample/m2-synthesis/", False),
    ("quiz", "/courses/sample/m1-l1-quiz/", True),
    ("module test", "/courses/sample/m1-test/", True),
    ("lab", "/courses/sample/m1-l1-lab/", True),
    ("flashcards", "/courses/sample/m2-cards/", True),
    ("capstone", "/courses/sample/m2-capstone/", True),
    ("module check", "/courses/sample/m2-check/", True),
    ("project", "/courses/sample/sample-project/", True),
    ("glossary", "/courses/sample/glossary/", False),
    ("path", "/courses/sample/path-start/", False),
    ("dashboard", "/dashboard/", True),
    ("toolkit token", "/accounts/toolkit-token/", True),
    ("log in", "/accounts/login/", False),
    ("sign up", "/accounts/signup/", False),
]


def _violations(page, source: str) -> list[dict]:
    page.add_script_tag(content=source)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))")
    return list(found)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/setup.sh (npm ci copies it)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_type_has_no_axe_violations_and_no_sideways_scroll(
        browser, live_server, sign_in, axe_source, width):
    w, h = WIDTHS[width]
    # bypass_csp lets the test inject axe; the pages themselves are unchanged.
    context = browser.new_context(base_url=live_server.url, viewport={"width": w, "height": h},
                                  bypass_csp=True)
    context.set_default_timeout(15_000)
    sign_in(context, f"reader-{width}")
    anonymous = browser.new_context(base_url=live_server.url,
                                    viewport={"width": w, "height": h}, bypass_csp=True)
    problems = {}
    try:
        for name, url, signed_in in PAGES:
            page = (context if signed_in else anonymous).new_page()
            page.goto(url)
            found = _violations(page, axe_source)
            if found:
                problems[name] = found
            if width == "phone":
                wide = page.evaluate("document.documentElement.scrollWidth"
                                     " - document.documentElement.clientWidth")
                if wide > 0:
                    problems.setdefault(name, []).append({"id": "sideways-scroll",
                                                          "px": wide})
            page.close()
    finally:
        context.close()
        anonymous.close()
    assert problems == {}, json.dumps(problems, indent=1)


def test_on_a_phone_a_tap_on_a_figure_opens_it_full_size(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto("/courses/sample/m1-l1/")
        figure = page.locator("a.figure-link img.figure").first
        figure.scroll_into_view_if_needed()
        with page.expect_navigation():
            figure.tap()
        assert page.url.endswith(".svg")
        assert "<svg" in page.content()
    finally:
        context.close()
