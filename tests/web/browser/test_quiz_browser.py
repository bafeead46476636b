"""A quiz in the browser (HTMX) withholds the answer until the second wrong try."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_quiz_withholds_the_answer_until_the_second_wrong_try(page, sign_in):
    from playwright.sync_api import expect

    sign_in(page.context, "amara")
    page.goto("/courses/sample/m1-l1-quiz/")
    question = page.locator("#question-q1")
    question.get_by_text("Both losses stay flat and high.").click()
    question.get_by_role("button", name="Check answer").click()
    expect(question.locator(".result")).to_contain_text("Not quite.")
    expect(question.locator(".quiz-hint")).to_contain_text("Compare how each curve moves")
    expect(question.locator(".correct-option")).to_have_count(0)
    assert "Look for the two curves moving" not in page.content()
    question.get_by_text("Training and validation loss fall together.").click()
    question.get_by_role("button", name="Try again").click()
    expect(question.locator(".correct-option")).to_contain_text(
        "Training loss keeps falling while validation loss rises.")
    expect(question.locator(".result")).to_contain_text("Look for the two curves moving")
    question.get_by_text("Training loss keeps falling while validation loss rises.").click()
    question.get_by_role("button", name="Try again").click()
    expect(question.locator(".result")).to_contain_text("Right.")
    expect(page.locator("#quiz-status")).to_contain_text("1 of 3 answered, 1 right")
