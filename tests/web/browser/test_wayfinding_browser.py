"""In the browser: Continue opens the next item, a visitor tries a quiz and nothing is
stored, and a password is reset through the mailed link (the test server's outbox)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_continue_opens_the_first_unfinished_item(page, sign_in):
    from playwright.sync_api import expect

    client = sign_in(page.context, "kofi")
    client.post("/courses/sample/sample-intro/complete/")
    page.goto("/dashboard/")
    page.get_by_role("link", name=re.compile("^Continue: ")).first.click()
    expect(page).to_have_url(re.compile(r"/courses/sample/m1-l1/$"))
    expect(page.locator("h1")).to_have_text("When a model stops learning")
    # The lesson ends with its next step, and its contents jump to a section.
    expect(page.locator("a[rel=next]")).to_contain_text("Next step")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.reload()
    toc = page.locator("details.toc")
    expect(toc).to_have_attribute("open", "")  # in view beside the text on a desktop
    assert toc.evaluate("el => getComputedStyle(el).position") == "sticky"
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    expect(toc).not_to_have_attribute("open", "")  # folded on a phone
    toc.locator("summary").click()
    toc.get_by_role("link", name="Measuring the gap").click()
    expect(page).to_have_url(re.compile("#measuring-the-gap$"))


def test_a_visitor_tries_a_quiz_and_nothing_is_stored(page):
    from playwright.sync_api import expect

    from buildreal.assessments.models import QuizAnswer
    from buildreal.progress.models import Completion

    page.goto("/courses/sample/m1-l1-quiz/")
    expect(page.locator("#visitor-invite")).to_contain_text("nothing is saved")
    question = page.locator("#question-q1")
    question.get_by_text("Both losses stay flat and high.").click()
    question.get_by_role("button", name="Check answer").click()
    expect(question.locator(".result")).to_contain_text("Not quite.")
    expect(question.locator(".correct-option")).to_have_count(0)
    question.get_by_text("Training and validation loss fall together.").click()
    question.get_by_role("button", name="Try again").click()
    expect(question.locator(".correct-option")).to_have_count(1)
    question.get_by_text("Training loss keeps falling while validation loss rises.").click()
    question.get_by_role("button", name="Try again").click()
    expect(question.locator(".result")).to_contain_text("Right.")
    expect(question.get_by_role("link", name="Sign up")).to_be_visible()
    assert not QuizAnswer.objects.exists() and not Completion.objects.exists()


def test_a_password_is_reset_through_the_mailed_link(page):
    from django.contrib.auth import get_user_model
    from django.core import mail
    from playwright.sync_api import expect

    from buildreal.accounts.models import VerifiedEmail

    user = get_user_model().objects.create_user("lena", email="lena@example.org",
                                                password="an old passphrase 12345")
    VerifiedEmail.objects.create(user=user, email="lena@example.org")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.locator("h1")).to_have_text("Check your mail")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    new = "a fresh passphrase 67890"
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password confirmation").fill(new)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.locator("h1")).to_have_text("Password changed")
    page.get_by_role("link", name="Log in").last.click()
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(new)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile("/dashboard/$"))


def test_the_header_search_box_lists_passages_that_open_at_their_section(page):
    from playwright.sync_api import expect

    from buildreal.search.index import build_index

    build_index()
    page.goto("/courses/sample/")
    page.get_by_role("searchbox", name="Search both courses").fill("vanishing gradients")
    page.get_by_role("searchbox", name="Search both courses").press("Enter")
    results = page.locator("#search-results li")
    expect(results.first).to_contain_text("Gradient descent")
    results.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/courses/sample/m2-l1/#[a-z-]+$"))
    page.get_by_role("searchbox", name="Search both courses").fill("xqzv plorf")
    page.get_by_role("searchbox", name="Search both courses").press("Enter")
    expect(page.locator("#search-empty")).to_contain_text("Nothing in either course matches")


def test_a_code_block_copy_button_puts_the_code_on_the_clipboard(page):
    from playwright.sync_api import expect

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/courses/sample/m1-l1/")
    block = page.locator(".highlight").first
    button = block.get_by_role("button", name="Copy this code")
    button.click()
    expect(button).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() and copied.strip() == block.locator("pre").inner_text().strip()
