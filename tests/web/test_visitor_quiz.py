"""Visitors try lesson quizzes without an account: graded like a learner's answers,
withheld the same way (the answer after a second wrong try or "Show me"), nothing stored,
and an invitation to sign up."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from buildreal.assessments.models import QuizAnswer, QuizReveal
from buildreal.progress.models import Completion

from .conftest import HTMX
from .helpers import option_value, section
from .test_quiz_mastery import QUIZ, RIGHT_Q1, WRONG_Q1, answer_key_leaks

TOKEN = re.compile(r'name="visitor" value="([^"]+)"')


def try_url(qid: str) -> str:
    return reverse("assessments:quiz-try", args=("sample", "m1-l1-quiz", qid))


def try_show_url(qid: str) -> str:
    return reverse("assessments:quiz-try-show", args=("sample", "m1-l1-quiz", qid))


def visitor_value(client, text: str) -> str:
    return option_value(section(client.get(QUIZ).content.decode(), "question-q1"), text)


def nothing_stored() -> bool:
    return not (QuizAnswer.objects.exists() or Completion.objects.exists()
                or QuizReveal.objects.exists() or Session.objects.exists())


@pytest.mark.django_db
def test_a_visitor_sees_an_invitation_and_answer_buttons(client):
    page = client.get(QUIZ).content.decode()
    assert 'id="visitor-invite"' in page and reverse("accounts:signup") in page
    assert f'action="{try_url("q1")}"' in section(page, "question-q1")
    assert "Check answer" in section(page, "question-q1")


@pytest.mark.django_db
def test_a_visitors_right_answer_is_graded_and_nothing_is_stored(client):
    body = client.post(try_url("q1"), {"answer": [visitor_value(client, RIGHT_Q1)]},
                       **HTMX).content.decode()
    assert "Right." in body and "Sign up</a> to keep your progress" in body
    assert nothing_stored()


@pytest.mark.django_db
def test_a_visitor_gets_the_answer_only_after_a_second_wrong_try(client, course):
    wrong = {"answer": [visitor_value(client, WRONG_Q1)]}
    first = client.post(try_url("q1"), wrong, **HTMX).content.decode()
    assert "Not quite." in first and "Hint" in first
    assert answer_key_leaks(first, course, "q1") == []
    # Replaying the first try without its token starts over: still no answer.
    again = client.post(try_url("q1"), wrong, **HTMX).content.decode()
    assert answer_key_leaks(again, course, "q1") == []
    token = TOKEN.search(first).group(1)
    second = client.post(try_url("q1"), {**wrong, "visitor": token}, **HTMX).content.decode()
    assert "Here is the answer" in second and "Right answer" in second
    assert nothing_stored()


@pytest.mark.django_db
def test_a_forged_or_foreign_token_reveals_nothing(client, course):
    wrong = {"answer": [visitor_value(client, WRONG_Q1)]}
    first = client.post(try_url("q1"), wrong, **HTMX).content.decode()
    token = TOKEN.search(first).group(1)
    forged = client.post(try_url("q1"), {**wrong, "visitor": token[:-2] + "xx"},
                         **HTMX).content.decode()
    assert answer_key_leaks(forged, course, "q1") == []
    # q1's token says nothing about q2.
    q2 = client.post(try_url("q2"), {"answer": ["o1"], "visitor": token}, **HTMX)
    assert answer_key_leaks(q2.content.decode(), course, "q2") == []


@pytest.mark.django_db
def test_a_visitors_show_me_reveals_the_answer_without_storing(client):
    body = client.post(try_show_url("q1"), {}, **HTMX).content.decode()
    assert "Here is the answer" in body and "Right answer" in body
    assert nothing_stored()


@pytest.mark.django_db
def test_a_visitor_without_javascript_gets_the_question_on_a_page(client):
    response = client.post(try_url("q1"), {"answer": [visitor_value(client, RIGHT_Q1)]})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page and "Right." in page
    assert nothing_stored()


@pytest.mark.django_db
def test_a_signed_in_learners_try_is_stored_as_usual(alice_client):
    value = option_value(section(alice_client.get(QUIZ).content.decode(), "question-q1"),
                         RIGHT_Q1)
    alice_client.post(try_url("q1"), {"answer": [value]}, **HTMX)
    assert QuizAnswer.objects.filter(question_id="q1", correct=True).count() == 1
