"""The catalog, the course outline, prose pages, figures and "Mark complete"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from buildreal.progress.models import Completion


def item_url(item_id: str) -> str:
    return reverse("catalog:item", args=("sample", item_id))


def test_catalog_lists_every_course_with_a_link_to_its_outline(client):
    page = client.get("/").content.decode()
    assert "Sample Course: Learning From Data" in page
    assert 'href="/courses/sample/"' in page


def test_outline_lists_items_in_pack_order_with_minutes_and_xp(client, course):
    page = client.get("/courses/sample/").content.decode()
    page = page[page.index('<ol class="outline">'):]  # after Continue and the paths
    positions = [page.index(f'href="{item_url(item.id)}"') for item in course.items()]
    assert positions == sorted(positions)
    lesson = course.item("m1-l1")
    assert f"{lesson.minutes} min · {lesson.xp} XP" in page


@pytest.mark.django_db
def test_outline_shows_each_items_state_for_the_learner(alice_client, alice, course):
    alice_client.post(reverse("catalog:complete", args=("sample", "m1-l1")))
    page = alice_client.get("/courses/sample/").content.decode()
    lesson_row = re.search(r'<li class="outline-item state-(\S+)">\s*'
                           r'<span class="kind kind-lesson">lesson</span>\s*'
                           r'<a href="/courses/sample/m1-l1/"', page)
    assert lesson_row and lesson_row.group(1) == "done"
    assert 'state-not-started"' in page
    assert "1 of 5 done" in page  # module 1 progress bar


def test_unknown_course_and_item_give_404(client):
    assert client.get("/courses/nope/").status_code == 404
    assert client.get("/courses/sample/nope/").status_code == 404


def test_lesson_is_readable_without_an_account(client, course):
    response = client.get(item_url("m1-l1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<span class="math-inline"><span class="katex">' in page  # typeset on the server
    assert 'class="callout callout-peers-get-wrong"' in page
    assert 'class="highlight"' in page
    assert '<img class="figure" src="/courses/sample/figures/loss_curves.svg"' in page
    assert "Log in</a> to mark this complete" in page


def test_lesson_page_loads_katex_and_htmx_from_our_own_static_files(client):
    page = client.get(item_url("m1-l1")).content.decode()
    assert '<link rel="stylesheet" href="/static/vendor/katex/katex.min.css">' in page
    assert "katex.min.js" not in page  # math is typeset on the server
    assert '<script defer src="/static/vendor/htmx.min.js">' in page
    assert "cdn" not in page.lower()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script found"


def test_lesson_has_previous_and_next_links_in_course_order(client):
    page = client.get(item_url("m1-l1")).content.decode()
    assert f'rel="prev" href="{item_url("sample-intro")}"' in page
    assert f'rel="next" href="{item_url("m1-l1-quiz")}"' in page


def test_internal_and_glossary_links_point_at_site_pages(client):
    page = client.get(item_url("m1-l1")).content.decode()
    assert 'href="/courses/sample/glossary/#term-overfitting"' in page
    assert 'href="/courses/sample/m2-l1/#choosing-a-learning-rate"' in page
    glossary = client.get(item_url("glossary")).content.decode()
    assert 'id="term-overfitting"' in glossary


@pytest.mark.django_db
def test_mark_complete_awards_the_items_xp_exactly_once(alice_client, alice, course):
    url = reverse("catalog:complete", args=("sample", "m1-l1"))
    assert alice_client.post(url).status_code == 302
    alice_client.post(url)
    alice_client.post(url, HTTP_HX_REQUEST="true")
    completions = Completion.objects.filter(user=alice, item_id="m1-l1")
    assert completions.count() == 1
    assert completions.get().xp == course.item("m1-l1").xp
    assert completions.get().content_hash == course.item("m1-l1").content_hash
    assert "Completed · +50 XP" in alice_client.get(item_url("m1-l1")).content.decode()


@pytest.mark.django_db
def test_mark_complete_fragment_replaces_the_button(alice_client):
    response = alice_client.post(reverse("catalog:complete", args=("sample", "m2-l1")),
                                 HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="complete" id="complete">')
    assert "Completed" in body and "<html" not in body


@pytest.mark.django_db
def test_anonymous_mark_complete_is_sent_to_log_in(client):
    response = client.post(reverse("catalog:complete", args=("sample", "m1-l1")))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Completion.objects.exists()


@pytest.mark.django_db
def test_a_quiz_cannot_be_completed_by_marking_it(alice_client):
    response = alice_client.post(reverse("catalog:complete", args=("sample", "m1-l1-quiz")))
    assert response.status_code == 404
    assert not Completion.objects.exists()


def test_figure_is_built_on_demand_and_served_as_svg(client):
    response = client.get("/courses/sample/figures/loss_curves.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["missing.svg", "..%2Fcourse.yaml", "loss_curves.py"])
def test_unknown_or_unsafe_figure_names_give_404(client, name):
    assert client.get(f"/courses/sample/figures/{name}").status_code == 404


def test_every_item_of_the_sample_pack_has_a_page(client, course):
    for item in course.items():
        response = client.get(item_url(item.id))
        assert response.status_code == 200, item.id
        assert item.title.replace('"', "&quot;") in response.content.decode()


def test_project_hints_open_one_layer_at_a_time(client, course):
    hints = course.item("sample-project").project.hints
    first = client.get(item_url("sample-project")).content.decode()
    assert "Show hint 1 of" in first
    one = client.get(item_url("sample-project"), {"hints": 1}).content.decode()
    two = client.get(item_url("sample-project"), {"hints": 2}, HTTP_HX_REQUEST="true")
    assert "Show hint 2 of" in one
    assert two.content.decode().lstrip().startswith('<div class="hints" id="hints"')
    assert two.content.decode().count('<li class="hint">') == min(2, len(hints))


@pytest.mark.django_db
def test_path_page_lists_its_steps_with_the_learners_state(alice_client, course):
    path = course.item("path-start")
    first = path.path_items[0]
    alice_client.post(reverse("catalog:complete", args=("sample", first)))
    page = alice_client.get(item_url("path-start")).content.decode()
    for step in path.path_items:
        assert f'href="{item_url(step)}"' in page
    assert f"1 of {len(path.path_items)} done" in page


def test_pygments_stylesheet_is_served(client):
    response = client.get("/assets/pygments.css")
    assert response["Content-Type"].startswith("text/css")
    assert ".highlight" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("item_id", ["m1-l1-lab", "m2-capstone"])
def test_labs_and_capstones_are_not_completed_by_a_button(alice_client, item_id):
    assert "Mark complete" not in alice_client.get(item_url(item_id)).content.decode()
    response = alice_client.post(reverse("catalog:complete", args=("sample", item_id)))
    assert response.status_code == 404
    assert not Completion.objects.exists()



@pytest.mark.django_db
def test_outline_marks_a_passed_test_passed_and_a_failed_exam_failed(alice_client, course):
    from buildreal.assessments.models import Attempt

    from .helpers import option_texts, option_value

    def sit(item_id: str, right: bool) -> None:
        alice_client.post(reverse("assessments:start", args=("sample", item_id)))
        attempt = Attempt.objects.get(item_id=item_id, submitted_at__isnull=True)
        url = reverse("assessments:attempt", args=(attempt.pk,))
        page = alice_client.get(url).content.decode()
        sheet: dict[str, object] = {"shown": re.findall(r'name="shown" value="([^"]+)"', page)}
        for q in course.item(item_id).assessment.questions:
            if f"q-{q.id}" not in sheet["shown"]:
                continue  # not drawn for this attempt
            if q.type == "numeric":
                sheet[f"q-{q.id}"] = str(q.answer if right else q.answer + 1000)
            else:
                texts = option_texts(course, item_id, q.id, correct=right)
                sheet[f"q-{q.id}"] = [option_value(page, text) for text in texts[:1 if
                                      q.type == "single" else None]]
        alice_client.post(reverse("assessments:submit", args=(attempt.pk,)), sheet)

    sit("m1-test", right=False)
    sit("m1-test", right=True)  # failed once, then passed: the item counts as passed
    sit("final-exam", right=False)
    page = alice_client.get("/courses/sample/").content.decode()

    def state_of(item_id: str) -> str:
        match = re.search(r'<li class="outline-item state-(\S+)">\s*<span class="kind[^>]*>'
                          r'\w+</span>\s*<a href="/courses/sample/' + item_id + '/"', page)
        assert match, item_id
        return match.group(1)

    assert state_of("m1-test") == "passed"
    assert state_of("final-exam") == "failed"
    assert state_of("m1-l1") == "not-started"
    assert 'data-state="passed">Passed</span>' in page
    assert 'data-state="failed">Failed</span>' in page
