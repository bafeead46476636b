"""Knowing what to do next: Continue links, learning paths first, the next step at the
end of every item page, and a long page's contents and heading anchors."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from buildreal.catalog.toc import reading_page


def item_url(item_id: str) -> str:
    return reverse("catalog:item", args=("sample", item_id))


def continue_link(page: str) -> tuple[str, str]:
    match = re.search(r'<a class="button[^"]*"(?: id="continue-link")? href="([^"]+)">'
                      r"Continue: ([^<]+)</a>", page)
    assert match, "no Continue link on the page"
    return match.group(1), match.group(2)


def test_course_page_continues_a_visitor_at_the_first_item(client, course):
    first = course.items()[0]
    href, title = continue_link(client.get("/courses/sample/").content.decode())
    assert (href, title) == (item_url(first.id), first.title)


@pytest.mark.django_db
def test_continue_skips_finished_items_in_course_order(alice_client, course):
    items = course.items()
    for done in items[:2]:
        alice_client.post(reverse("catalog:complete", args=("sample", done.id)))
    href, title = continue_link(alice_client.get("/courses/sample/").content.decode())
    assert (href, title) == (item_url(items[2].id), items[2].title)


@pytest.mark.django_db
def test_dashboard_continues_each_course_at_its_next_item(alice_client, course):
    first = course.items()[0]
    alice_client.post(reverse("catalog:complete", args=("sample", first.id)))
    href, title = continue_link(alice_client.get("/dashboard/").content.decode())
    assert (href, title) == (item_url(course.items()[1].id), course.items()[1].title)


def test_learning_paths_are_listed_before_the_outline(client, course):
    page = client.get("/courses/sample/").content.decode()
    paths = page.index('id="paths-heading"')
    assert paths < page.index('class="outline"')
    assert f'href="{item_url("path-start")}">Path: The short route</a>' in page[paths:]


def test_every_item_page_ends_with_the_next_step(client, course):
    items = course.items()
    page = client.get(item_url(items[0].id)).content.decode()
    assert re.search(rf'rel="next" href="{item_url(items[1].id)}"><span class="muted">'
                     rf"Next step</span> {re.escape(items[1].title)}", page)
    last = client.get(item_url(items[-1].id)).content.decode()
    assert 'href="/courses/sample/"><span class="muted">Next step</span>' in last


def test_long_lesson_has_contents_and_anchored_headings(client):
    page = client.get(item_url("m1-l1")).content.decode()
    toc = re.search(r'<details class="toc".*?</details>', page, re.S)
    assert toc, "no table of contents"
    assert [m for m in re.findall(r'href="#([^"]+)"', toc.group(0))] == [
        "two-curves", "measuring-the-gap", "run-it"]
    assert '<h2 id="two-curves">Two curves <a class="heading-anchor" href="#two-curves"' in page
    assert "has-toc" in page


def test_short_page_has_no_contents():
    assert reading_page('<h2 id="a">A</h2><p>x</p>').toc == ()


def test_contents_entry_text_is_the_headings_text_unescaped_once():
    page = reading_page('<h2 id="a">A &amp; <em>b</em></h2><h2 id="b">B</h2>'
                        '<h3 id="c">C</h3>')
    assert [entry.text for entry in page.toc] == ["A & b", "B", "C"]
    assert 'aria-label="Link to the section A &amp; b"' in page.body


def test_home_and_course_pages_state_counts_computed_from_the_pack(client, course):
    projects = sum(1 for item in course.items() if item.kind == "project")
    lessons = sum(1 for item in course.items() if item.kind == "lesson")
    expected = (f"{len(course.modules)} modules · {lessons} lessons · 2 quizzes · "
                f"{projects} project published")
    assert projects == 1 and lessons == 2  # the sample pack, so the line reads as expected
    for url in ("/", "/courses/sample/"):
        assert expected in client.get(url).content.decode()
