"""Flashcard decks, FSRS scheduling, the Review page, and wrong answers that come back as
cards. Due dates are compared with what the fsrs library computes for the same frozen
clock; none is written by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from fsrs import Card, Rating, Scheduler

from buildreal.assessments.models import Attempt
from buildreal.flashcards import services
from buildreal.flashcards.models import CardState

from .conftest import HTMX
from .test_attempts import form_values, start, submit_url

DECK = reverse("catalog:item", args=("sample", "m2-cards"))
RATE = reverse("flashcards:rate", args=("sample", "m2-cards"))
REVIEW = reverse("flashcards:review")
QUIZ_Q3 = reverse("assessments:quiz-answer", args=("sample", "m1-l1-quiz", "q3"))
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock for the flashcard services; ``clock.at`` moves it."""
    class Clock:
        at = T0
    monkeypatch.setattr(services, "now", lambda: Clock.at)
    return Clock


def library_due(ratings: list[tuple[int, datetime]]) -> datetime:
    """The fsrs library's own due date after these ratings (fuzz off, as the site uses)."""
    scheduler = Scheduler(enable_fuzzing=False)
    card = Card(card_id=1, due=ratings[0][1])
    for rating, at in ratings:
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=at)
    return card.due


@pytest.mark.django_db
def test_a_visitor_browses_the_deck_one_card_at_a_time_and_nothing_is_stored(client, course):
    page = client.get(DECK).content.decode()
    assert "What does ReLU return" in page and "What is an epoch?" not in page
    assert "Card 1 of 3" in page and "Browsing only" in page
    assert "?card=2" in page and 'name="rating"' not in page

    second = client.get(DECK + "?card=2").content.decode()
    assert "What is an epoch?" in second and "What does ReLU return" not in second

    refused = client.post(RATE, {"card": "relu", "rating": "3"})
    assert refused.status_code == 302 and "/accounts/login/" in refused["Location"]
    assert CardState.objects.count() == 0


@pytest.mark.django_db
def test_rating_a_card_stores_the_due_date_the_library_computes(alice_client, alice, clock):
    response = alice_client.post(RATE, {"card": "relu", "rating": "3"}, **HTMX)
    assert response.status_code == 200

    state = CardState.objects.get(user=alice, card_id="relu")
    assert state.due == library_due([(3, T0)])
    assert (state.reviews, state.last_rating, state.source) == (1, 3, "deck")
    page = response.content.decode()
    assert "Rated Good." in page and 'id="card-announce"' in page
    assert "What is an epoch?" in page  # the next card due now is shown


@pytest.mark.django_db
def test_a_second_rating_follows_the_library_from_the_stored_state(alice_client, alice, clock):
    alice_client.post(RATE, {"card": "epoch", "rating": "3"})
    first_due = CardState.objects.get(user=alice, card_id="epoch").due
    clock.at = first_due + timedelta(minutes=1)
    alice_client.post(RATE, {"card": "epoch", "rating": "4"})

    state = CardState.objects.get(user=alice, card_id="epoch")
    assert state.due == library_due([(3, T0), (4, clock.at)])
    assert state.reviews == 2


@pytest.mark.django_db
def test_after_every_card_is_rated_the_deck_says_when_the_next_is_due(alice_client, clock):
    for card in ("relu", "epoch", "sgd-step"):
        alice_client.post(RATE, {"card": card, "rating": "3"})
    page = alice_client.get(DECK).content.decode()
    assert "All 3 cards reviewed for now" in page
    nxt = library_due([(3, T0)])
    assert nxt.strftime("%H:%M") in page


@pytest.mark.django_db
def test_the_deck_shows_again_only_when_due(alice_client, clock):
    alice_client.post(RATE, {"card": "relu", "rating": "1"})  # Again: back in minutes
    page = alice_client.get(DECK).content.decode()
    assert "What does ReLU return" not in page and "2 of 3 cards due now" in page
    clock.at = library_due([(1, T0)])
    page = alice_client.get(DECK).content.decode()
    assert "What does ReLU return" in page


@pytest.mark.django_db
@pytest.mark.parametrize("data,status", [({"card": "relu", "rating": "5"}, 400),
                                         ({"card": "relu", "rating": "good"}, 400),
                                         ({"card": "nope", "rating": "3"}, 404)])
def test_bad_ratings_are_refused_and_store_nothing(alice_client, data, status):
    assert alice_client.post(RATE, data).status_code == status
    assert CardState.objects.count() == 0


@pytest.mark.django_db
def test_rating_without_a_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(RATE, {"card": "relu", "rating": "3"}).status_code == 403
    assert CardState.objects.count() == 0


def miss_q3_twice(client: Client) -> None:
    """Two wrong tries: the quiz now shows q3's answer, and so may its review card."""
    for wrong in ("0.5", "0.6"):
        client.post(QUIZ_Q3, {"answer": wrong}, **HTMX)


@pytest.mark.django_db
def test_a_wrong_quiz_answer_becomes_a_review_card_with_answer_and_explanation(
        alice_client, alice, clock):
    alice_client.post(QUIZ_Q3, {"answer": "0.5"}, **HTMX)

    state = CardState.objects.get(user=alice)
    assert (state.card_id, state.source, state.due) == ("q-q3", "quiz", T0)
    # One wrong try earns a hint on the quiz, not the answer: the card waits too.
    review = alice_client.get(REVIEW).content.decode()
    assert "What is the gap?" not in review and "0.29" not in review
    assert services.due_count(alice) == 0
    alice_client.post(QUIZ_Q3, {"answer": "0.6"}, **HTMX)
    page = alice_client.get(REVIEW).content.decode()
    assert "What is the gap?" in page and "0.29" in page and "1 card due today" in page
    header = alice_client.get(DECK).content.decode()
    assert 'aria-label="1 card due today"' in header


@pytest.mark.django_db
def test_a_right_quiz_answer_makes_no_card(alice_client):
    alice_client.post(QUIZ_Q3, {"answer": "0.29"}, **HTMX)
    assert CardState.objects.count() == 0


@pytest.mark.django_db
def test_rating_on_the_review_page_reschedules_by_the_library(alice_client, alice, clock):
    miss_q3_twice(alice_client)
    state = CardState.objects.get(user=alice)
    response = alice_client.post(reverse("flashcards:review-rate", args=[state.pk]),
                                 {"rating": "4"}, **HTMX)
    assert response.status_code == 200
    assert "Nothing left to review today" in response.content.decode()
    state.refresh_from_db()
    assert state.due == library_due([(4, T0)])


@pytest.mark.django_db
def test_nobody_reviews_another_learners_card(alice_client, bob_client, alice, clock):
    miss_q3_twice(alice_client)
    state = CardState.objects.get(user=alice)
    url = reverse("flashcards:review-rate", args=[state.pk])
    assert bob_client.post(url, {"rating": "3"}).status_code == 404
    assert "What is the gap?" not in bob_client.get(REVIEW).content.decode()
    state.refresh_from_db()
    assert state.reviews == 0


@pytest.mark.django_db
def test_a_wrong_test_answer_waits_for_the_review_policy_then_becomes_a_card(
        alice_client, alice, course, clock):
    attempt = start(alice_client)
    values = form_values(alice_client, attempt, course, right=False)
    alice_client.post(reverse("assessments:save", args=[attempt.pk]), values)
    assert CardState.objects.count() == 0  # nothing is graded while the attempt is open

    alice_client.post(submit_url(attempt))
    assert set(CardState.objects.filter(user=alice).values_list("card_id", flat=True)) \
        == {"q-q1", "q-q2", "q-q3"}
    # Failed with an attempt left: the sample test reveals answers only after a pass or
    # the last attempt, so the cards wait and show nowhere.
    review = alice_client.get(REVIEW).content.decode()
    assert "What does a validation set measure?" not in review
    assert services.due_count(alice) == 0

    second = start(alice_client)  # an open attempt: still nothing shown
    assert services.due_count(alice) == 0
    alice_client.post(reverse("assessments:save", args=[second.pk]),
                      form_values(alice_client, second, course, right=False))
    alice_client.post(submit_url(second))
    assert Attempt.objects.filter(user=alice, submitted_at__isnull=False).count() == 2

    review = alice_client.get(REVIEW).content.decode()
    assert "What does a validation set measure?" in review
    assert "How well the model does on data it did not train on." in review
    assert services.due_count(alice) == 3


@pytest.mark.django_db
def test_the_dashboard_shows_the_due_count(alice_client, clock):
    miss_q3_twice(alice_client)
    page = alice_client.get(reverse("progress:dashboard")).content.decode()
    assert 'id="review-due"' in page and "1 card due today" in page
