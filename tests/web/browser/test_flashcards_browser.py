"""Flashcards in a real browser: a session rated from the keyboard alone, and a wrongly
answered test question that comes back as a card once the attempt is submitted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from buildreal.assessments.models import Attempt
from buildreal.flashcards.models import CardState

from ..test_attempts import form_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_deck_is_turned_and_rated_from_the_keyboard_alone(page, sign_in):
    from playwright.sync_api import expect

    sign_in(page.context, "kai")
    page.goto("/courses/sample/m2-cards/")
    deck = page.locator("#deck")
    expect(deck).to_contain_text("What does ReLU return")
    expect(page.locator("#card-back")).to_be_hidden()

    page.keyboard.press("Space")  # turn
    expect(page.locator("#card-back")).to_be_visible()
    expect(page.locator("#card-announce")).to_contain_text("Rate it: 1 Again")
    page.keyboard.press("3")  # Good
    expect(deck).to_contain_text("What is an epoch?")
    expect(page.locator("#card-announce")).to_contain_text("Rated Good.")
    expect(page.locator("#deck summary")).to_be_focused()  # ready for the next card

    page.keyboard.press("Enter")  # turn
    expect(page.locator("#card-back")).to_contain_text("One full pass")
    page.keyboard.press("1")  # Again
    expect(deck).to_contain_text("A weight is 2.0")

    page.keyboard.press("Space")
    page.keyboard.press("4")  # Easy
    expect(deck).to_contain_text("All 3 cards reviewed for now")

    ratings = dict(CardState.objects.values_list("card_id", "last_rating"))
    assert ratings == {"relu": 3, "epoch": 1, "sgd-step": 4}


def test_a_wrong_test_answer_comes_back_as_a_card_after_submission(page, sign_in, course):
    from playwright.sync_api import expect

    client = sign_in(page.context, "lena")
    # First attempt, set up on the server: q1 wrong, failed. The test keeps its key until
    # a pass or the last attempt, so that card waits.
    client.post(reverse("assessments:start", args=("sample", "m1-test")))
    first = Attempt.objects.get()
    values = form_values(client, first, course, right=True)
    values["q-q1"] = form_values(client, first, course, right=False)["q-q1"]
    values["q-q3"] = "40"
    client.post(reverse("assessments:save", args=[first.pk]), values)
    client.post(reverse("assessments:submit", args=[first.pk]))
    assert Attempt.objects.get().passed is False

    page.goto("/courses/sample/m1-test/")
    page.click("text=Start a new attempt")
    wrong = next(o.text for o in course.item("m1-test").assessment.questions[0].options
                 if not o.correct)
    page.get_by_text(wrong, exact=True).click()
    expect(page.locator("#answered-counter")).to_contain_text("1 of 3 answered")
    attempt_url = page.url

    page.goto("/review/")  # the attempt is open: nothing of this test shows
    expect(page.locator("#deck")).to_contain_text("Nothing left to review today")

    page.goto(attempt_url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Submit attempt")
    expect(page.locator(".score")).to_be_visible()

    page.goto("/review/")
    expect(page.locator("#review-link")).to_contain_text("2")  # q1 and q3
    # q3's card, due since the first attempt, comes first: rate it, then q1's.
    expect(page.locator("#deck")).to_contain_text("How many parameters does it have?")
    page.keyboard.press("Space")
    expect(page.locator("#card-back")).to_contain_text("44")
    page.keyboard.press("3")
    expect(page.locator("#deck")).to_contain_text("What does a validation set measure?")
    page.locator("#card-front").click()  # a click on the card turns it too
    back = page.locator("#card-back")
    expect(back).to_contain_text("How well the model does on data it did not train on.")
    expect(back).to_contain_text("estimates performance on new data")
    page.keyboard.press("3")
    expect(page.locator("#card-announce")).to_contain_text("Rated Good.")
