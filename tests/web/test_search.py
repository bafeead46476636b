"""Site search: one box, both courses, paragraphs and glossary entries found by words
(full-text in the database) and by meaning (MiniLM through ONNX Runtime), fused."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.urls import reverse

from buildreal.catalog.content import get_catalog
from buildreal.search import index as search_index
from buildreal.search import views as search_views
from buildreal.search.index import Result
from buildreal.search.passages import Passage, passages_of
from buildreal.search.vectors import VectorStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    """The sample pack indexed in this test's database (vectors cached per session)."""
    return search_index.build_index()


def search_page(client, query: str) -> str:
    return client.get(reverse("search:results"), {"q": query}).content.decode()


def result_links(page: str) -> list[str]:
    listing = re.search(r'<ol class="search-results".*?</ol>', page, re.S)
    return re.findall(r'<a href="([^"]+)">', listing.group(0)) if listing else []


def test_every_page_has_the_search_box_in_its_header(client):
    page = client.get("/").content.decode()
    header = page[page.index('<header class="site-header">'):page.index("</header>")]
    assert f'action="{reverse("search:results")}"' in header and 'name="q"' in header


def test_vanishing_gradients_finds_the_gradient_lesson_first(client, indexed):
    links = result_links(search_page(client, "vanishing gradients"))
    assert links and links[0].startswith("/courses/sample/m2-l1/#")


def test_a_glossary_term_is_found_and_links_to_its_entry(client, indexed):
    links = result_links(search_page(client, "overfitting"))
    assert "/courses/sample/glossary/#term-overfitting" in links


def test_passages_found_only_by_meaning_are_fused_into_the_results(client, indexed):
    query = "memorising the examples instead of generalising"
    results = search_index.search(query)
    only_meaning = [r for r in results if r.by_meaning and not r.by_words]
    assert only_meaning and any(r.by_words for r in results)
    page = search_page(client, query)
    assert " · meaning</span>" in page and " · words</span>" in page


def test_a_query_with_no_match_says_so(client, indexed):
    page = search_page(client, "xqzv plorf")
    assert result_links(page) == []
    assert "Nothing in either course matches “xqzv plorf”" in page


def test_the_query_and_the_results_are_escaped(client, indexed, monkeypatch):
    hostile = Passage("sample", "m1-l1", "<b>Title</b>", "two-curves", "<i>H</i>",
                      '<img src=x onerror="alert(1)"> text here')
    monkeypatch.setattr(search_views, "search",
                        lambda query: [Result(hostile, 1.0, True, False)])
    page = search_page(client, "<script>alert(2)</script>")
    assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert "<b>Title</b>" not in page and "&lt;b&gt;Title&lt;/b&gt;" in page


def test_every_result_anchor_is_an_id_on_the_linked_page(client):
    catalog = get_catalog()
    for passage in passages_of(catalog):
        if not passage.anchor:
            continue
        page = client.get(reverse("catalog:item", args=(passage.course_id, passage.item_id)))
        assert f'id="{passage.anchor}"' in page.content.decode(), passage


def test_a_second_build_reads_every_vector_from_disk(indexed):
    again = search_index.build_index()
    assert again.encoded == 0 and again.has_vector.all()


def test_the_vector_store_encodes_only_new_or_changed_text(tmp_path):
    calls: list[list[str]] = []

    def encode(texts):
        calls.append(list(texts))
        return np.ones((len(texts), 4), dtype=np.float32)

    store = VectorStore(tmp_path / "v.npz", dim=4)
    assert store.fill([("k1", "one"), ("k2", "two")], encode) == 2
    reopened = VectorStore(tmp_path / "v.npz", dim=4)
    assert reopened.fill([("k1", "one"), ("k3", "three")], encode) == 1
    assert calls[-1] == ["three"]


def test_search_without_vectors_still_matches_words(client, indexed, monkeypatch):
    monkeypatch.setattr(indexed, "has_vector", np.zeros_like(indexed.has_vector))
    links = result_links(search_page(client, "overfitting"))
    assert "/courses/sample/glossary/#term-overfitting" in links
