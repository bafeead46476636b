"""Probes for answer leaks: a learner, a visitor or another learner fetches every page,
fragment and download the product offers, and none of them names a right option, an
expected number, a right-answer explanation or a lab's expected choice before the
product means to show it."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
