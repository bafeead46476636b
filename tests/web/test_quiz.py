"""Lesson quizzes: graded on the server, explained at once (HTMX) or after a reload."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from buildreal.assessments.models import QuizAnswer
from buildreal.progress.models import Completion

from .conftest import HTMX
from .helpers import option_texts, option_value, question, section

QUIZ = reverse("catalog:item", args=("sample", "m1-l1-quiz"))


def answer_url(question_id: str) -> str:
    return reverse("assessments:quiz-answer", args=("sample", "m1-l1-quiz", question_id))


def value_of(client: Client, question_id: str, text: str) -> str:
    page = client.get(QUIZ).content.decode()
    return option_value(section(page, f"question-{question_id}"), text)


def answer_all_right(client: Client, course) -> None:
    for qid in ("q1", "q2"):
        values = [value_of(client, qid, t)
                  for t in option_texts(course, "m1-l1-quiz", qid, correct=True)]
        client.post(answer_url(qid), {"answer": values})
    client.post(answer_url("q3"), {"answer": "0.29"})


@pytest.mark.django_db
def test_quiz_page_reveals_no_correct_option_before_answering(alice_client, course):
    page = alice_client.get(QUIZ).content.decode()
    assert "correct-option" not in page and "Right answer" not in page
    for q in course.item("m1-l1-quiz").assessment.questions:
        assert q.explanation_correct[:30] not in page
        for option in q.options:
            assert f'value="{option.id}"' not in page  # pack ids never reach the form


@pytest.mark.django_db
def test_right_answer_shows_its_explanation_in_the_htmx_fragment(alice_client, course):
    right = option_texts(course, "m1-l1-quiz", "q1", correct=True)[0]
    response = alice_client.post(answer_url("q1"), {"answer": value_of(alice_client, "q1", right)},
                                 **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="question answered is-correct"')
    assert "<html" not in body
    assert "Right." in body
    assert "A widening gap means the model fits details" in body
    assert ('<p class="quiz-status" id="quiz-status" hx-swap-oob="true">1 of 3 answered, 1 right.'
            in body)


@pytest.mark.django_db
def test_a_wrong_pick_shows_that_options_feedback_and_a_hint_but_not_the_answer(alice_client):
    value = value_of(alice_client, "q1", "Both losses stay flat and high.")
    body = alice_client.post(answer_url("q1"), {"answer": value}, **HTMX).content.decode()
    assert "is-incorrect" in body and "Not quite." in body
    assert "Flat, high losses point to underfitting instead." in body  # the option's feedback
    assert "Compare how each curve moves from one epoch to the next" in body  # the hint
    assert "That is what healthy learning looks like." not in body  # not chosen
    assert "Try again" in body and "Show me the answer" in body


@pytest.mark.django_db
def test_without_javascript_the_answer_posts_and_the_reloaded_page_shows_the_result(
        alice_client, course):
    right = option_texts(course, "m1-l1-quiz", "q1", correct=True)[0]
    response = alice_client.post(answer_url("q1"), {"answer": value_of(alice_client, "q1", right)})
    assert response.status_code == 302
    assert response["Location"] == QUIZ + "#question-q1"
    page = alice_client.get(QUIZ).content.decode()
    assert "A widening gap means the model fits details" in section(page, "question-q1")


@pytest.mark.django_db
def test_every_answer_is_stored_with_the_items_content_hash(alice_client, alice, course):
    wrong = value_of(alice_client, "q1", "Both losses stay flat and high.")
    alice_client.post(answer_url("q1"), {"answer": wrong}, **HTMX)
    alice_client.post(answer_url("q3"), {"answer": "0.3"}, **HTMX)
    stored = list(QuizAnswer.objects.filter(user=alice).order_by("id"))
    assert [(a.question_id, a.correct) for a in stored] == [("q1", False), ("q3", False)]
    assert stored[0].given == {"options": ["c"]}
    assert stored[1].given == {"value": 0.3}
    assert {a.content_hash for a in stored} == {course.item("m1-l1-quiz").content_hash}
    assert {a.course_id for a in stored} == {"sample"}


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "correct"), [("0.29", True), ("0.294", True),
                                                ("0.2949", True), ("0.296", False)])
def test_numeric_answer_is_right_within_the_tolerance(alice_client, alice, typed, correct):
    alice_client.post(answer_url("q3"), {"answer": typed}, **HTMX)
    assert QuizAnswer.objects.get(user=alice).correct is correct


@pytest.mark.django_db
def test_multiple_choice_needs_exactly_the_right_set(alice_client, alice, course):
    right = option_texts(course, "m1-l1-quiz", "q2", correct=True)
    some = [value_of(alice_client, "q2", t) for t in right[:2]]
    alice_client.post(answer_url("q2"), {"answer": some}, **HTMX)
    every = [value_of(alice_client, "q2", t) for t in right]
    alice_client.post(answer_url("q2"), {"answer": every}, **HTMX)
    assert [a.correct for a in QuizAnswer.objects.filter(user=alice)] == [False, True]


@pytest.mark.django_db
def test_unusable_input_gets_a_message_and_stores_nothing(alice_client):
    body = alice_client.post(answer_url("q3"), {"answer": "about a third"}, **HTMX).content.decode()
    assert "is not a number" in body and 'role="alert"' in body
    plain = alice_client.post(answer_url("q1"), {})
    assert plain.status_code == 400 and "Choose an option." in plain.content.decode()
    assert not QuizAnswer.objects.exists()


@pytest.mark.django_db
def test_answering_every_question_completes_the_quiz_and_awards_xp_once(
        alice_client, alice, course):
    answer_all_right(alice_client, course)
    answer_all_right(alice_client, course)  # answering again adds no XP
    completion = Completion.objects.get(user=alice, item_id="m1-l1-quiz")
    assert completion.xp == course.item("m1-l1-quiz").xp
    assert Completion.objects.filter(user=alice).count() == 1
    assert "Quiz complete" in alice_client.get(QUIZ).content.decode()


@pytest.mark.django_db
def test_a_wrong_answer_does_not_complete_the_quiz_until_it_is_answered_correctly(
        alice_client, alice, course):
    for qid in ("q1", "q2"):
        first = option_value(section(alice_client.get(QUIZ).content.decode(),
                                     f"question-{qid}"), question_first_text(qid))
        alice_client.post(answer_url(qid), {"answer": first})
    alice_client.post(answer_url("q3"), {"answer": "7"})
    assert not Completion.objects.filter(user=alice).exists()
    answer_all_right(alice_client, course)
    assert Completion.objects.filter(user=alice, item_id="m1-l1-quiz").exists()


def question_first_text(qid: str) -> str:
    from buildreal.catalog.content import get_catalog

    return question(get_catalog().courses["sample"], "m1-l1-quiz", qid).options[0].text


@pytest.mark.django_db
def test_answer_again_shows_a_fresh_form_for_that_question(alice_client):
    alice_client.post(answer_url("q3"), {"answer": "0.29"})
    page = alice_client.get(QUIZ, {"again": "q3"}).content.decode()
    assert "Check answer" in section(page, "question-q3")


@pytest.mark.django_db
def test_anonymous_reader_may_try_the_quiz_but_only_learners_answers_are_stored(client):
    page = client.get(QUIZ).content.decode()
    assert "nothing is saved" in page and "to keep your progress" in page
    response = client.post(answer_url("q3"), {"answer": "0.29"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not QuizAnswer.objects.exists()


@pytest.mark.django_db
def test_quiz_answer_without_a_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(answer_url("q3"), {"answer": "0.29"}).status_code == 403
    assert not QuizAnswer.objects.exists()


@pytest.mark.django_db
def test_unknown_question_gives_404(alice_client):
    assert alice_client.post(answer_url("q99"), {"answer": "1"}).status_code == 404


@pytest.mark.django_db
def test_option_order_is_stable_for_a_learner_across_reloads(alice_client):
    def shown() -> list[tuple[str, str]]:
        html = section(alice_client.get(QUIZ).content.decode(), "question-q2")
        return re.findall(r'value="(o\d+)"[^>]*>\s*<span>(.*?)</span>', html)

    first = shown()
    assert len(first) == 4
    assert shown() == first


@pytest.mark.django_db
def test_text_typed_into_a_numeric_answer_comes_back_escaped(alice_client):
    typed = '<script>alert("x")</script>'
    for extra in ({}, HTMX):
        body = alice_client.post(answer_url("q3"), {"answer": typed}, **extra).content.decode()
        assert "is not a number" in body
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert" in body


@pytest.mark.django_db
def test_the_swapped_result_is_announced_to_screen_readers(alice_client, course):
    page = alice_client.get(QUIZ).content.decode()
    # The status line sits inside a live region that stays in the page when HTMX swaps
    # the line out of band, so the new count is read aloud.
    assert re.search(r'<div[^>]*aria-live="polite"[^>]*>\s*<p class="quiz-status" '
                     r'id="quiz-status">', page)
    right = option_texts(course, "m1-l1-quiz", "q1", correct=True)[0]
    body = alice_client.post(answer_url("q1"), {"answer": value_of(alice_client, "q1", right)},
                             **HTMX).content.decode()
    assert '<div class="result" role="status" tabindex="-1">' in body  # focused by site.js
    assert "aria-live" not in body  # the fragment brings no second live region


@pytest.mark.django_db
def test_quiz_questions_are_labelled_groups_and_errors_are_tied_to_them(alice_client):
    page = alice_client.get(QUIZ).content.decode()
    for qid in ("q1", "q2", "q3"):
        block = section(page, f"question-{qid}")
        assert f'<fieldset aria-labelledby="question-{qid}-label">' in block
        assert f'id="question-{qid}-label"' in block
        assert block.count("<label") == block.count('name="answer"')  # every input labelled
    body = alice_client.post(answer_url("q1"), {}, **HTMX).content.decode()
    assert 'aria-describedby="question-q1-error"' in body
    assert 'id="question-q1-error" role="alert">Choose an option.' in body


@pytest.mark.django_db
@pytest.mark.parametrize("item_id", ["m1-test", "final-exam"])
def test_a_test_question_cannot_be_graded_early_through_the_quiz_url(alice_client, item_id):
    url = reverse("assessments:quiz-answer", args=("sample", item_id, "q3"))
    for extra in ({}, HTMX):
        assert alice_client.post(url, {"answer": "44"}, **extra).status_code == 404
    assert not QuizAnswer.objects.exists()
