"""A learner's path through the site in a real browser, and a keyboard-only quiz."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.test import Client

from buildreal.catalog.content import get_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase for tests"


def option_texts(item_id: str, question_id: str) -> list[str]:
    item = get_catalog().courses["sample"].item(item_id)
    question = next(q for q in item.assessment.questions if q.id == question_id)
    return [option.text for option in question.options if option.correct]


def open_test_attempt(client: Client):
    """Start the sample module test as the client's learner; returns the open attempt."""
    from buildreal.assessments.models import Attempt

    client.post("/courses/sample/m1-test/attempts/")
    return Attempt.objects.get(user=get_user(client))


def test_learner_signs_up_reads_answers_passes_a_test_and_sees_xp(page):
    from playwright.sync_api import expect

    page.goto("/accounts/signup/")
    page.fill("#id_username", "maya")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("text=Create account")
    expect(page.locator("h1")).to_have_text("Your dashboard")

    page.goto("/courses/sample/m1-l1/")
    expect(page.locator(".katex").first).to_be_visible()  # KaTeX typeset the math
    page.click("text=Mark complete")
    expect(page.locator("#complete")).to_contain_text("Completed")

    page.goto("/courses/sample/m1-l1-quiz/")
    page.evaluate("window.stillHere = true")
    question = page.locator("#question-q1")
    question.get_by_text(option_texts("m1-l1-quiz", "q1")[0]).click()
    question.get_by_role("button", name="Check answer").click()
    expect(page.locator("#question-q1 .result")).to_contain_text("A widening gap")
    expect(page.locator("#quiz-status")).to_have_text("1 of 3 answered, 1 right.")
    assert page.evaluate("window.stillHere") is True  # swapped in place, no reload

    page.goto("/courses/sample/m1-test/")
    page.click("text=Start the test")
    for qid in ("q1", "q2"):
        for text in option_texts("m1-test", qid):
            page.get_by_text(text, exact=True).click()
    page.fill("input[name=q-q3]", "44")
    page.keyboard.press("Tab")  # leaving the box fires "change": saved
    expect(page.locator("#answered-counter")).to_contain_text("3 of 3 answered")
    page.reload()  # nothing is lost
    expect(page.locator("#answered-counter")).to_contain_text("3 of 3 answered")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Submit attempt")
    expect(page.locator(".score")).to_contain_text("Passed")

    page.goto("/dashboard/")
    expect(page.locator("#xp-total")).to_have_text("150")  # lesson 50 + test 100


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_quiz_can_be_answered_with_the_keyboard_alone(page, sign_in):
    from playwright.sync_api import expect

    sign_in(page.context, "kim")
    page.goto("/courses/sample/m1-l1-quiz/")

    tab_to(page, "#question-q1 input[name=answer]")
    page.keyboard.press("Space")
    tab_to(page, "#question-q1 button")
    page.keyboard.press("Enter")
    expect(page.locator("#question-q1 .result")).to_be_focused()

    tab_to(page, "#question-q2 input[name=answer]")
    page.keyboard.press("Space")
    tab_to(page, "#question-q2 button")
    page.keyboard.press("Enter")
    expect(page.locator("#question-q2 .result")).to_be_focused()

    tab_to(page, "#question-q3 input[name=answer]")
    page.keyboard.type("0.29")
    page.keyboard.press("Enter")
    expect(page.locator("#question-q3 .result")).to_contain_text("Right.")
    # The first options picked above need not be right: the quiz counts them as answered.
    expect(page.locator("#quiz-status")).to_contain_text("3 of 3 answered")
    expect(page.locator(".question .result")).to_have_count(3)

    tab_to(page, "#question-q3 .again button")  # answer again, still without a mouse
    page.keyboard.press("Enter")
    expect(page.locator("#question-q3 input[name=answer]").first).to_be_focused()
    expect(page.locator("#question-q3").get_by_role("button", name="Check answer")).to_be_visible()


def test_with_javascript_off_a_quiz_answer_posts_and_the_reloaded_page_explains_it(
        browser, live_server, sign_in):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    sign_in(context, "noor")
    page = context.new_page()
    try:
        page.goto("/courses/sample/m1-l1-quiz/")
        question = page.locator("#question-q1")
        question.get_by_text(option_texts("m1-l1-quiz", "q1")[0]).click()
        question.get_by_role("button", name="Check answer").click()
        page.wait_for_url("**/courses/sample/m1-l1-quiz/#question-q1")  # a full reload
        expect(page.locator("#question-q1 .result")).to_contain_text("Right.")
        expect(page.locator("#question-q1 .result")).to_contain_text("A widening gap")
        expect(page.locator("#quiz-status")).to_contain_text("1 of 3 answered")
        page.locator("#question-q3 input[name=answer]").fill("0.5")
        page.locator("#question-q3").get_by_role("button", name="Check answer").click()
        expect(page.locator("#question-q3 .result")).to_contain_text("Not quite.")
    finally:
        context.close()


def test_when_time_runs_out_the_open_attempt_is_submitted_and_reviewed(page, sign_in):
    from datetime import timedelta

    from django.utils import timezone
    from playwright.sync_api import expect

    from buildreal.assessments.models import Attempt

    attempt = open_test_attempt(sign_in(page.context, "tomas"))
    page.goto(f"/attempts/{attempt.pk}/")
    page.fill("input[name=q-q3]", "44")
    page.keyboard.press("Tab")  # saved on change
    expect(page.locator("#answered-counter")).to_contain_text("1 of 3 answered")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=2))
    page.reload()  # the countdown now has two seconds to run
    expect(page.locator(".timer")).to_contain_text("Time left")
    expect(page.locator(".score")).to_contain_text("Not passed yet: 33%")  # no click needed
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.submitted_at <= attempt.deadline


def test_a_lesson_shows_typeset_math_coloured_code_a_figure_and_styled_callouts(page):
    from playwright.sync_api import expect

    page.goto("/courses/sample/m1-l1/")  # no account needed to read
    expect(page.locator(".math-display .katex-display")).to_have_count(1)
    expect(page.locator(".math-inline .katex")).to_have_count(2)
    figure = page.locator("img.figure")
    figure.scroll_into_view_if_needed()  # it loads lazily
    expect(figure).to_be_visible()
    page.wait_for_function("document.querySelector('img.figure').naturalWidth > 0")
    keyword = page.locator(".highlight .kn").first
    assert keyword.evaluate("e => getComputedStyle(e).color") != page.locator(
        ".highlight").first.evaluate("e => getComputedStyle(e).color")  # coloured by kind
    backgrounds = {kind: page.locator(f".callout-{kind}").evaluate(
        "e => getComputedStyle(e).backgroundColor")
        for kind in ("key-term", "peers-get-wrong", "takeaway", "limits", "note")}
    assert "rgba(0, 0, 0, 0)" not in backgrounds.values()
    assert len(set(backgrounds.values())) == 5  # each kind looks different
    expect(page.locator("a[rel=prev]")).to_have_count(1)
    expect(page.locator("a[rel=next]")).to_have_count(1)


def test_a_typed_numeric_answer_is_saved_without_leaving_the_box(page, sign_in):
    from playwright.sync_api import expect

    from buildreal.assessments.models import AttemptAnswer

    attempt = open_test_attempt(sign_in(page.context, "ravi"))
    page.goto(f"/attempts/{attempt.pk}/")
    page.locator("input[name=q-q3]").press_sequentially("44")  # focus stays in the box
    expect(page.locator("#answered-counter")).to_contain_text("1 of 3 answered")
    assert page.evaluate("document.activeElement.name") == "q-q3"
    page.reload()
    expect(page.locator("input[name=q-q3]")).to_have_value("44")
    assert AttemptAnswer.objects.get(attempt=attempt).given == {"value": 44.0}
