"""A whole lab in a real browser: hedge, commit, get pushed, finish, see the XP."""

from __future__ import annotations

import pytest

from buildreal.labs import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def words_only_partner(monkeypatch):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.delenv("BUILDREAL_LLM_URL", raising=False)
    services.reset_engine()
    yield
    services.reset_engine()


def send(page, text: str, replies_before: int) -> None:
    from playwright.sync_api import expect

    page.fill("#lab-message", text)
    page.click("#lab-compose button[type=submit] >> text=Send")
    expect(page.locator(".turn-partner")).to_have_count(replies_before + 1)


def test_a_learner_argues_a_lab_to_completion_and_earns_its_xp(page, sign_in):
    from playwright.sync_api import expect

    sign_in(page.context, "noor")
    page.goto("/courses/sample/m1-l1-lab/")
    expect(page.locator(".turn-partner")).to_contain_text("the contractor wants a deep network")
    page.evaluate("window.stillHere = true")

    send(page, "It depends, either could work.", 1)
    expect(page.locator(".turn-partner").last).to_contain_text("?")
    expect(page.locator("#lab-state")).to_contain_text("not committed yet")

    send(page, "OK, I'd go with gradient boosting: with only 8,000 appointments a deep "
               "network has little to learn that a simpler model cannot capture.", 2)
    expect(page.locator("#lab-state")).to_contain_text("A classical model on the tabular")
    expect(page.locator("#lab-message")).to_have_value("")  # a fresh box for the next turn

    send(page, "I would fit logistic regression first so any fancier model has a number "
               "to beat.", 3)
    send(page, "Predicting that everyone attends is 88% accurate, so I would judge it on "
               "recall of no-shows at a call budget.", 4)
    send(page, "That's my case. Let's finish.", 5)  # the rule is met: the learner ends it
    expect(page.locator(".turn-partner").last).to_contain_text("Score:")
    expect(page.locator("#lab-result")).to_contain_text("Lab complete")
    expect(page.locator("#lab-awarded")).to_contain_text("+60 XP")
    expect(page.locator("#lab-message")).to_have_count(0)  # finished: no more turns
    assert page.evaluate("window.stillHere") is True  # every turn swapped in place

    page.reload()  # the whole conversation was saved
    expect(page.locator(".turn-learner")).to_have_count(5)
    page.goto("/dashboard/")
    expect(page.locator("#xp-total")).to_have_text("60")
