"""Quiz progress means mastery: done only when every question is answered correctly, XP for
first-try correctness, and the right answer withheld on the server until a second wrong
try or "Show me" (every response body is scanned for it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from buildreal.assessments.models import QuizReveal
from buildreal.progress.models import Completion

from .conftest import HTMX
from .helpers import option_value, question, section

QUIZ = reverse("catalog:item", args=("sample", "m1-l1-quiz"))
WRONG_Q1 = "Both losses stay flat and high."
RIGHT_Q1 = "Training loss keeps falling while validation loss rises."


def answer_url(qid: str) -> str:
    return reverse("assessments:quiz-answer", args=("sample", "m1-l1-quiz", qid))


def show_url(qid: str) -> str:
    return reverse("assessments:quiz-show", args=("sample", "m1-l1-quiz", qid))


def value_of(client, qid: str, text: str) -> str:
    return option_value(section(client.get(QUIZ).content.decode(), f"question-{qid}"), text)


def answer_key_leaks(body: str, course, qid: str) -> list[str]:
    """What in ``body`` would give question ``qid``'s answer away."""
    q = question(course, "m1-l1-quiz", qid)
    block = section(body, f"question-{qid}") if f'id="question-{qid}"' in body else body
    leaks = [marker for marker in ("correct-option", "Right answer", "mark-right")
             if marker in block]
    for text in (q.explanation_correct, q.explanation_incorrect):
        if text and text[:40] in block:
            leaks.append(text[:40])
    if q.type == "numeric" and "0.29" in block:
        leaks.append("0.29")
    return leaks


def post_right(client, course, qid: str) -> None:
    q = question(course, "m1-l1-quiz", qid)
    if q.type == "numeric":
        client.post(answer_url(qid), {"answer": "0.29"}, **HTMX)
        return
    values = [value_of(client, qid, o.text) for o in q.options if o.correct]
    client.post(answer_url(qid), {"answer": values}, **HTMX)


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False])
def test_the_answer_is_in_no_response_after_one_wrong_try(alice_client, course, htmx):
    extra = HTMX if htmx else {}
    wrong = {"q1": [value_of(alice_client, "q1", WRONG_Q1)],
             "q2": [value_of(alice_client, "q2", "Training for many more epochs")],
             "q3": ["0.3"]}
    for qid, values in wrong.items():
        reply = alice_client.post(answer_url(qid), {"answer": values}, **extra)
        assert reply.status_code in (200, 302)
        assert answer_key_leaks(reply.content.decode(), course, qid) == []
        page = alice_client.get(QUIZ).content.decode()
        assert answer_key_leaks(page, course, qid) == [], qid
        assert "Show me the answer" in section(page, f"question-{qid}")


@pytest.mark.django_db
def test_a_second_wrong_try_shows_the_right_answer_and_its_explanation(alice_client, course):
    first = alice_client.post(answer_url("q3"), {"answer": "0.3"}, **HTMX).content.decode()
    assert answer_key_leaks(first, course, "q3") == []
    second = alice_client.post(answer_url("q3"), {"answer": "0.81"}, **HTMX).content.decode()
    assert "Here is the answer: 0.29 nats" in second
    assert "Subtract the training loss from the validation loss." in second
    value = value_of(alice_client, "q1", WRONG_Q1)
    alice_client.post(answer_url("q1"), {"answer": value}, **HTMX)
    reply = alice_client.post(answer_url("q1"), {"answer": value}, **HTMX).content.decode()
    right_block = reply[reply.index(RIGHT_Q1) - 400:reply.index(RIGHT_Q1) + 200]
    assert "correct-option" in right_block and "Right answer" in reply


@pytest.mark.django_db
def test_show_me_reveals_the_answer_but_the_question_must_still_be_answered(
        alice_client, alice, course):
    before = alice_client.get(QUIZ).content.decode()
    assert answer_key_leaks(before, course, "q1") == []
    reply = alice_client.post(show_url("q1"), **HTMX).content.decode()
    assert answer_key_leaks(reply, course, "q1") != []  # now shown on purpose
    assert "Here is the answer" in reply
    assert QuizReveal.objects.filter(user=alice, question_id="q1").count() == 1
    post_right(alice_client, course, "q2")
    post_right(alice_client, course, "q3")
    assert not Completion.objects.filter(user=alice).exists()  # q1 shown, not answered
    post_right(alice_client, course, "q1")
    assert Completion.objects.get(user=alice, item_id="m1-l1-quiz").xp == round(20 * 2 / 3)


@pytest.mark.django_db
def test_one_learners_show_me_reveals_nothing_to_another(alice_client, bob_client, course):
    alice_client.post(show_url("q1"), **HTMX)
    assert answer_key_leaks(bob_client.get(QUIZ).content.decode(), course, "q1") == []


@pytest.mark.django_db
def test_xp_scales_with_the_questions_right_at_the_first_try(alice_client, alice, course):
    alice_client.post(answer_url("q3"), {"answer": "0.3"}, **HTMX)  # wrong first
    alice_client.post(answer_url("q1"), {"answer": value_of(alice_client, "q1", WRONG_Q1)},
                      **HTMX)
    post_right(alice_client, course, "q1")
    post_right(alice_client, course, "q2")
    assert not Completion.objects.filter(user=alice).exists()
    post_right(alice_client, course, "q3")
    completion = Completion.objects.get(user=alice, item_id="m1-l1-quiz")
    assert completion.xp == round(course.item("m1-l1-quiz").xp * 1 / 3)
    page = alice_client.get(QUIZ).content.decode()
    assert "Quiz complete: 1 of 3 right at the first try." in page


@pytest.mark.django_db
def test_a_wrong_pick_keeps_the_question_open_for_another_try(alice_client):
    value = value_of(alice_client, "q1", WRONG_Q1)
    alice_client.post(answer_url("q1"), {"answer": value}, **HTMX)
    block = section(alice_client.get(QUIZ).content.decode(), "question-q1")
    assert "<fieldset disabled" not in block and "Try again" in block


@pytest.mark.django_db
def test_show_me_needs_a_signed_in_learner_and_a_quiz_question(client, alice_client):
    assert client.post(show_url("q1"))["Location"].startswith("/accounts/login/")
    assert not QuizReveal.objects.exists()
    test_url = reverse("assessments:quiz-show", args=("sample", "m1-test", "q1"))
    assert alice_client.post(test_url).status_code == 404
    assert alice_client.get(show_url("q1")).status_code == 405
