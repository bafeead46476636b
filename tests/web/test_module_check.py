"""The module check page: overview, then the deck, quiz, synthesis and capstone in the
pack's order, each with the learner's done/left state."""

from __future__ import annotations

import pytest
from django.urls import reverse

from buildreal.progress.models import Completion

from .conftest import HTMX
from .helpers import option_value

CHECK = reverse("catalog:item", args=("sample", "m2-check"))
RATE = reverse("flashcards:rate", args=("sample", "m2-cards"))


def positions(page: str, needles: list[str]) -> list[int]:
    return [page.index(needle) for needle in needles]


@pytest.mark.django_db
def test_the_check_shows_overview_and_parts_in_the_packs_order(client):
    page = client.get(CHECK).content.decode()
    order = positions(page, ['id="overview"', 'id="part-m2-cards"', 'id="part-m2-check-quiz"',
                             'id="part-m2-synthesis"', 'id="part-m2-capstone"'])
    assert order == sorted(order)
    assert "the validation curve says when to stop" in page
    assert "What does ReLU return" in page  # the deck's first card, one at a time
    assert "What is an epoch?" not in page
    assert "Loss explodes" in page  # the synthesis table
    assert "Training loss jumps to very large values" in page  # a quiz question
    assert "Your check: 0 of 4 parts done" in page


@pytest.mark.django_db
def test_the_check_counts_what_is_done_and_completes_when_all_parts_are(alice_client, alice):
    for card in ("relu", "epoch", "sgd-step"):
        alice_client.post(RATE, {"card": card, "rating": "3"}, **HTMX)
    alice_client.post(reverse("catalog:complete", args=("sample", "m2-synthesis")))
    page = alice_client.get(CHECK).content.decode()
    assert "Your check: 2 of 4 parts done" in page
    assert "Left: not started" in page

    q1 = reverse("assessments:quiz-answer", args=("sample", "m2-check-quiz", "q1"))
    q2 = reverse("assessments:quiz-answer", args=("sample", "m2-check-quiz", "q2"))
    page = alice_client.get(CHECK).content.decode()
    block = page[page.index('id="question-q1"'):]
    value = option_value(block, "Cut the learning rate to a tenth")  # done only when right
    alice_client.post(q1, {"answer": value}, **HTMX)
    alice_client.post(q2, {"answer": "0.9"}, **HTMX)
    page = alice_client.get(CHECK).content.decode()
    assert "Your check: 3 of 4 parts done" in page
    assert not Completion.objects.filter(user=alice, item_id="m2-check").exists()


@pytest.mark.django_db
def test_a_quiz_answered_on_the_check_explains_after_the_second_wrong_try(alice_client):
    q2 = reverse("assessments:quiz-answer", args=("sample", "m2-check-quiz", "q2"))
    reply = alice_client.post(q2, {"answer": "0.5"}, **HTMX).content.decode()
    assert "Subtract the learning rate times the gradient" not in reply and "Hint" in reply
    reply = alice_client.post(q2, {"answer": "0.4"}, **HTMX).content.decode()
    assert "Subtract the learning rate times the gradient" in reply
    page = alice_client.get(CHECK).content.decode()
    assert "1 of 2 answered" in page
