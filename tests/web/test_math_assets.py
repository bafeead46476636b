"""KaTeX's stylesheet and scripts reach only pages that can show math."""

from __future__ import annotations

import pytest
from django.urls import reverse

KATEX = ("/static/vendor/katex/katex.min.css",)
KATEX_JS = ("/static/vendor/katex/katex.min.js", "/static/vendor/katex/auto-render.min.js")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/courses/sample/", "/courses/sample/m2-synthesis/",
                                 "/accounts/login/"])
def test_a_page_without_math_loads_no_katex(client, url):
    page = client.get(url).content.decode()
    assert "<head>" in page and "site.css" in page
    assert [k for k in KATEX if k in page] == []


@pytest.mark.django_db
def test_a_lesson_with_math_loads_katex(client):
    page = client.get(reverse("catalog:item", args=("sample", "m1-l1"))).content.decode()
    assert 'class="math-inline"><span class="katex">' in page  # typeset on the server
    assert [k for k in KATEX if k in page] == list(KATEX)
    assert [k for k in KATEX_JS if k in page] == []  # and so no KaTeX JavaScript


@pytest.mark.django_db
def test_a_quiz_keeps_katex_for_explanations_swapped_in_later(alice_client):
    page = alice_client.get(reverse("catalog:item", args=("sample", "m1-l1-quiz")))
    assert all(k in page.content.decode() for k in KATEX)
