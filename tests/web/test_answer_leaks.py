"""Probes for answer leaks: a learner, a visitor or another learner fetches every page,
fragment and download the product offers, and none of them names a right option, an
expected number, a right-answer explanation or a lab's expected choice before the
product means to show it."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from django.urls import reverse

from buildreal.packs.notebook import has_notebook
from buildreal.packs.predict import predict_blocks
from buildreal.search import index as search_index
from buildreal.search.passages import plain

from .conftest import HTMX
from .helpers import option_texts, option_value, section

QUIZ = reverse("catalog:item", args=("sample", "m1-l1-quiz"))
Q2_ANSWER = reverse("assessments:quiz-answer", args=("sample", "m1-l1-quiz", "q2"))


def _q2_values(client, texts: list[str]) -> list[str]:
    block = section(client.get(QUIZ).content.decode(), "question-q2")
    return [option_value(block, text) for text in texts]


@pytest.mark.django_db
def test_ticking_every_box_on_a_select_all_question_does_not_reveal_the_key(
        alice_client, course):
    right = option_texts(course, "m1-l1-quiz", "q2", correct=True)
    wrong = option_texts(course, "m1-l1-quiz", "q2", correct=False)
    every = _q2_values(alice_client, right + wrong)
    body = alice_client.post(Q2_ANSWER, {"answer": every}, **HTMX).content.decode()
    assert "Not quite." in body and "Hint" in body
    # The wrong option's own feedback would single it out among the ticked ones.
    assert "Longer training usually widens the gap." not in body
    assert "Right answer" not in body and "correct-option" not in body
    assert body.count("mark-wrong") == 4  # every ticked box marked alike
    page = section(alice_client.get(QUIZ).content.decode(), "question-q2")
    assert "Longer training usually widens the gap." not in page
    # A second wrong try reveals the answer, and the feedback with it.
    alice_client.post(Q2_ANSWER, {"answer": _q2_values(alice_client, wrong)}, **HTMX)
    page = section(alice_client.get(QUIZ).content.decode(), "question-q2")
    assert "Longer training usually widens the gap." in page
    assert page.count("Right answer") == len(right)


# --- every page, swept ------------------------------------------------------------------

def _squash(text: str) -> str:
    """Letters and digits only, lower case: markup, escaping, line breaks and typography
    cannot hide a secret from the comparison."""
    return re.sub(r"[^0-9a-z]+", "", html.unescape(re.sub(r"<[^>]+>", " ", text)).lower())


def _needle(markdown: str) -> str:
    return _squash(plain(markdown))[:60]


def _assessment_secrets(item) -> dict[str, str]:
    found = {}
    for question in item.assessment.questions:
        for version in (question, *question.variants):
            for part in ("explanation_correct", "explanation_incorrect"):
                text = getattr(version, part)
                if text and "$" not in text:
                    found[f"{item.id}/{question.id} {part}"] = _needle(text)
            for option in version.options:
                if option.feedback and "$" not in option.feedback:
                    found[f"{item.id}/{question.id}/{option.id} feedback"] = _needle(
                        option.feedback)
    return found


def _secrets(course) -> dict[str, str]:
    """What no page may show a learner who has not earned it yet."""
    found: dict[str, str] = {}
    for item in course.items():
        if item.assessment is not None:
            found |= _assessment_secrets(item)
        if item.lab is not None:
            lab = item.lab
            for concept in lab.rubric:
                for n, text in enumerate((concept.description, *concept.strong, *concept.weak,
                                          concept.acknowledge)):
                    if text:
                        found[f"{item.id} rubric {concept.id} #{n}"] = _needle(text)
            for wrong in lab.misconceptions:
                found[f"{item.id} misconception {wrong.id}"] = _needle(wrong.description)
                found[f"{item.id} pushback {wrong.id}"] = _needle(wrong.pushback)
            for n, text in enumerate((*lab.hints, *lab.challenges)):
                found[f"{item.id} hint or challenge #{n}"] = _needle(text)
        if item.project is not None:
            for n, text in enumerate(item.project.hints):
                found[f"{item.id} project hint #{n}"] = _needle(text)
        for block in predict_blocks(item.body):
            found[f"{item.id} predict {block.ordinal}"] = _needle(block.explanation)
    return {label: needle for label, needle in found.items() if len(needle) >= 20}


MARKERS = ("correct-option", "mark-right", ">Right answer<", "Here is the answer",
           "data-correct", "is-correct")


def _leaks(body: str, secrets: dict[str, str]) -> list[str]:
    squashed = _squash(body)
    return ([label for label, needle in secrets.items() if needle in squashed]
            + [marker for marker in MARKERS if marker in body])


def _notebook_text(body: str) -> str:
    return "\n".join("".join(cell["source"]) for cell in json.loads(body)["cells"])


def _sweep(client, course, signed_in: bool) -> dict[str, str]:
    """Every page a learner (or a visitor) can open, by URL: the catalog, each item page,
    each notebook, the dashboard, the Review page and the teaching pages."""
    urls = [reverse("catalog:index"), reverse("catalog:course", args=(course.id,))]
    urls += [reverse("catalog:item", args=(course.id, item.id)) for item in course.items()]
    notebooks = [reverse("exercises:notebook", args=(course.id, item.id))
                 for item in course.items() if has_notebook(item)]
    if signed_in:
        urls += [reverse("progress:dashboard"), reverse("flashcards:review"),
                 reverse("teaching:cohorts")]
    pages = {}
    for url in urls + notebooks:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        body = response.content.decode()
        pages[url] = _notebook_text(body) if url in notebooks and response.status_code == 200 \
            else body
    return pages


def _assert_no_leak(pages: dict[str, str], secrets: dict[str, str]) -> None:
    found = {url: leaks for url, body in pages.items() if (leaks := _leaks(body, secrets))}
    assert not found, found


@pytest.mark.django_db
def test_no_page_or_download_shows_an_answer_to_a_visitor_or_a_new_learner(
        client, alice_client, course):
    secrets = _secrets(course)
    assert len(secrets) > 40  # every kind of secret is looked for
    _assert_no_leak(_sweep(client, course, signed_in=False), secrets)
    _assert_no_leak(_sweep(alice_client, course, signed_in=True), secrets)


@pytest.mark.django_db
def test_site_search_does_not_show_a_predict_exercises_explanation(client, course, monkeypatch):
    built = search_index.build_index()
    monkeypatch.setattr(built, "has_vector", np.zeros_like(built.has_vector))  # words only
    [block] = predict_blocks(course.item("m1-l1").body)
    page = client.get(reverse("search:results"),
                      {"q": "validation loss lowest second epoch"}).content.decode()
    assert 'class="search-results"' in page  # the lesson's other paragraphs are found
    assert _needle(block.explanation) not in _squash(page)
    assert not _leaks(page, _secrets(course))
