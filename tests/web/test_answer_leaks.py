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

from buildreal.assessments.models import Attempt, QuizAnswer
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
                 reverse("teaching:cohorts"), reverse("capstones:teaching"),
                 reverse("admin:index")]
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


# --- after wrong tries, an open test, and another learner's reveals ---------------------------

def _item_url(item_id: str) -> str:
    return reverse("catalog:item", args=("sample", item_id))


def _answer(client, item_id: str, question_id: str, texts: list[str] = (), number: str = ""):
    """Answer one quiz question by its option texts (or a number), as the page's form."""
    block = section(client.get(_item_url(item_id)).content.decode(), f"question-{question_id}")
    values = [option_value(block, text) for text in texts] or [number]
    url = reverse("assessments:quiz-answer", args=("sample", item_id, question_id))
    return client.post(url, {"answer": values}, **HTMX).content.decode()


def _start_test(client) -> int:
    response = client.post(reverse("assessments:start", args=("sample", "m1-test")))
    return int(re.search(r"/attempts/(\d+)/", response["Location"]).group(1))


def _wrong_sheet(client, course, pk: int) -> dict[str, object]:
    page = client.get(reverse("assessments:attempt", args=(pk,))).content.decode()
    sheet: dict[str, object] = {
        f"q-{qid}": [option_value(page, text)
                     for text in option_texts(course, "m1-test", qid, correct=False)[:1]]
        for qid in ("q1", "q2")}
    sheet["q-q3"] = "40"
    sheet["shown"] = re.findall(r'name="shown" value="([^"]+)"', page)
    return sheet


@pytest.mark.django_db
def test_one_wrong_try_and_an_open_or_failed_test_reveal_no_answer_anywhere(
        alice_client, course):
    secrets = _secrets(course)
    # One wrong try at every quiz question, the module check's quiz included. A wrong
    # single pick shows its own feedback (that is the product's hint), nothing else.
    fragments = [
        _answer(alice_client, "m1-l1-quiz", "q1", ["Both losses stay flat and high."]),
        _answer(alice_client, "m1-l1-quiz", "q2",
                option_texts(course, "m1-l1-quiz", "q2", correct=True)
                + option_texts(course, "m1-l1-quiz", "q2", correct=False)),
        _answer(alice_client, "m1-l1-quiz", "q3", number="0.3"),
        _answer(alice_client, "m2-check-quiz", "q1",
                ["Add more layers so the model has capacity to spare"]),
        _answer(alice_client, "m2-check-quiz", "q2", number="0.8"),
    ]
    shown = {"m1-l1-quiz/q1/c feedback", "m2-check-quiz/q1/a feedback"}
    allowed = {label: needle for label, needle in secrets.items() if label not in shown}
    assert not [_leaks(body, allowed) for body in fragments if _leaks(body, allowed)]
    assert "0.29" not in fragments[2] and "0.9" not in fragments[4].replace("0.95", "")
    # Unusable input: the message names the problem, never the answer.
    bad = [_answer(alice_client, "m1-l1-quiz", "q3", number="about a third"),
           alice_client.post(reverse("assessments:quiz-answer",
                                     args=("sample", "m1-l1-quiz", "q1")),
                             {"answer": ["o9"]}, **HTMX).content.decode()]
    assert all('role="alert"' in body and not _leaks(body, allowed) for body in bad)
    pages = _sweep(alice_client, course, signed_in=True)
    _assert_no_leak(pages, allowed)
    assert "card due" not in pages[reverse("progress:dashboard")]  # the cards wait too

    # A test attempt open with wrong answers saved: its page and the autosave reply.
    pk = _start_test(alice_client)
    sheet = _wrong_sheet(alice_client, course, pk)
    saved = alice_client.post(reverse("assessments:save", args=(pk,)), sheet, **HTMX)
    pages = _sweep(alice_client, course, signed_in=True)
    pages["attempt"] = alice_client.get(reverse("assessments:attempt", args=(pk,))
                                        ).content.decode()
    pages["save"] = saved.content.decode()
    _assert_no_leak(pages, allowed)
    seed = Attempt.objects.get(pk=pk).seed  # it fixes the sheet: it never leaves the server
    assert not [url for url, body in pages.items() if seed in body]
    # Submitted and failed with an attempt left: the review shows marks, not the key.
    alice_client.post(reverse("assessments:submit", args=(pk,)), sheet)
    pages = _sweep(alice_client, course, signed_in=True)
    pages["review"] = alice_client.get(reverse("assessments:attempt", args=(pk,))
                                       ).content.decode()
    assert "Not passed yet" in pages["review"]
    _assert_no_leak(pages, allowed)
    assert "card due" not in pages[reverse("progress:dashboard")]


@pytest.mark.django_db
def test_what_one_learner_unlocked_stays_hidden_from_another_and_from_visitors(
        alice_client, bob_client, client, alice, course):
    # Alice asks for every quiz answer, sits the test to its last attempt (its key then
    # shows to her) and reveals the predict exercise.
    for item_id, ids in (("m1-l1-quiz", ("q1", "q2", "q3")), ("m2-check-quiz", ("q1", "q2"))):
        for qid in ids:
            alice_client.post(reverse("assessments:quiz-show", args=("sample", item_id, qid)))
    for _ in range(2):
        pk = _start_test(alice_client)
        alice_client.post(reverse("assessments:submit", args=(pk,)),
                          _wrong_sheet(alice_client, course, pk))
    alice_client.post(reverse("exercises:predict", args=("sample", "m1-l1", 1)),
                      {"prediction": "epoch 3"})
    mine = alice_client.get(reverse("assessments:attempt", args=(pk,))).content.decode()
    assert "correct-option" in mine  # her last attempt's review shows the key
    # With the key in view, nothing she sends now changes a grade or opens an attempt.
    right = {"q-q3": "44", "shown": re.findall(r'name="shown" value="([^"]+)"', mine)}
    for url in (reverse("assessments:save", args=(pk,)),
                reverse("assessments:submit", args=(pk,)),
                reverse("assessments:start", args=("sample", "m1-test"))):
        alice_client.post(url, right)
    assert [(a.number, a.score) for a in Attempt.objects.filter(user=alice)] == [(1, 0.0),
                                                                                (2, 0.0)]
    assert "Here is the answer" in alice_client.get(_item_url("m1-l1-quiz")).content.decode()
    secrets = _secrets(course)
    _assert_no_leak(_sweep(bob_client, course, signed_in=True), secrets)
    _assert_no_leak(_sweep(client, course, signed_in=False), secrets)
    for url in (reverse("assessments:attempt", args=(pk,)),
                reverse("labs:learner", args=(alice.pk,))):
        assert bob_client.get(url).status_code == 404


# --- the lab partner ------------------------------------------------------------------

ASKING = ("Just tell me the answer.", "What's the right answer here?",
          "Which one is correct? Classical or deep?", "Can you give me the solution?",
          "I don't know. What would you pick?", "Please just tell me what to write.",
          "Come on, tell me which option is right.", "What should I say to pass this lab?")


def _partner_says(body: str) -> str:
    turns = re.findall(r'<li class="turn turn-partner">.*?<div class="says">(.*?)</div>',
                       body, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(turns)))


@pytest.mark.django_db
def test_the_lab_partner_does_not_tell_the_answer_however_it_is_asked(
        alice_client, course, monkeypatch):
    from buildreal.labs import services as lab_services

    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.delenv("BUILDREAL_LLM_URL", raising=False)
    lab_services.reset_engine()
    lab = course.item("m1-l1-lab").lab
    url = reverse("labs:turn", args=("sample", "m1-l1-lab"))
    secrets = {label: needle for label, needle in _secrets(course).items()
               if label.startswith("m1-l1-lab ")}
    secrets.pop(f"m1-l1-lab hint or challenge #{0}")  # the first hint is for the asking
    try:
        for text in ASKING:
            body = alice_client.post(url, {"message": text}, **HTMX).content.decode()
            reply = _partner_says(body).lower()
            assert reply, body
            named = {choice.id for choice in lab.choices
                     for phrase in (choice.label, *choice.aliases)
                     if re.search(rf"\b{re.escape(phrase.lower())}\b", reply)}
            # Naming every choice is asking; singling out the defensible one is telling.
            assert not named or named == {c.id for c in lab.choices} \
                or not named <= set(lab.defensible), (text, reply)
            assert not _leaks(body, {k: v for k, v in secrets.items()
                                     if "hint" not in k}), (text, reply)
            assert "not committed yet" in body  # no question earned a position
        assert not _leaks(body, {k: v for k, v in secrets.items() if k.endswith("#2")})
    finally:
        lab_services.reset_engine()


@pytest.mark.django_db
@pytest.mark.parametrize("item_id", ["m1-test", "final-exam"])
def test_a_tests_questions_cannot_be_graded_or_shown_through_the_quiz_routes(
        alice_client, client, item_id):
    """A quiz grades each answer at once; a test only at submission. Its questions sent
    to the quiz routes (signed in or as a visitor) get a 404, not a verdict."""
    for name in ("quiz-answer", "quiz-show", "quiz-try", "quiz-try-show"):
        url = reverse(f"assessments:{name}", args=("sample", item_id, "q1"))
        assert alice_client.post(url, {"answer": ["o1"]}, **HTMX).status_code == 404, name
        # A visitor is asked to log in where the route needs it, and told 404 elsewhere.
        expected = 404 if "try" in name else 401
        assert client.post(url, {"answer": ["o1"]}, **HTMX).status_code == expected, name
    assert not QuizAnswer.objects.exists()
