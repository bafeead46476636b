"""Page weight budgets, measured in bytes: everything a cold-cache visit downloads
(HTML, CSS, JS, fonts, images, from the browser's own responses), each body gzip-compressed
as the production server sends it. A page without math stays under 60 KB, a lesson with
math (typeset on the server, KaTeX's stylesheet and fonts but no KaTeX JavaScript) under
150 KB. benchmarks/page_weight.py prints the same figures for a running site."""

from __future__ import annotations

import gzip

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
BUDGET_WITHOUT_MATH = 60 * 1024
BUDGET_WITH_MATH = 150 * 1024


def cold_visit_bytes(browser, base_url: str, path: str) -> tuple[int, dict[str, int]]:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    sizes: dict[str, int] = {}

    def record(response) -> None:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            return
        sizes[response.url] = len(gzip.compress(body, compresslevel=9))

    try:
        page = context.new_page()
        page.on("response", record)
        page.goto(path, wait_until="networkidle")
    finally:
        context.close()
    return sum(sizes.values()), sizes


@pytest.mark.parametrize("path", ["/", "/courses/sample/", "/courses/sample/m2-synthesis/"])
def test_a_page_without_math_ships_under_60_kb_compressed_on_a_cold_cache(
        browser, live_server, path):
    total, sizes = cold_visit_bytes(browser, live_server.url, path)
    assert len(sizes) >= 4  # the page, its stylesheets and scripts were all counted
    assert not any("katex" in url for url in sizes)
    assert total < BUDGET_WITHOUT_MATH, {u: s for u, s in sizes.items()}


def test_a_lesson_with_math_ships_under_150_kb_compressed_on_a_cold_cache(browser, live_server):
    total, sizes = cold_visit_bytes(browser, live_server.url, "/courses/sample/m1-l1/")
    assert any(url.endswith(".woff2") for url in sizes)  # the math's fonts were counted
    assert not any(url.endswith(".js") and "katex" in url for url in sizes)
    assert total < BUDGET_WITH_MATH, {u: s for u, s in sizes.items()}
