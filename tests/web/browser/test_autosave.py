"""Autosave on a test attempt when the save fails: the learner is told, the answer stays
queued in the page and is retried until the server acknowledges it, and leaving with
unsent answers asks first."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_SAVED = "Not saved, retrying\u2026"


def open_attempt(client: Client):
    from buildreal.assessments.models import Attempt

    client.post("/courses/sample/m1-test/attempts/")
    return Attempt.objects.get(user=get_user(client))


def failing_saves(page, attempt, how: str, times: int) -> list[str]:
    """Make the next ``times`` save requests fail (``abort`` or ``500``); then let them
    through. Returns the log of what happened to each request."""
    log: list[str] = []

    def handle(route) -> None:
        if len(log) < times:
            log.append(how)
            if how == "abort":
                route.abort()
            else:
                route.fulfill(status=500, body="Server Error")
            return
        log.append("through")
        route.continue_()

    page.route(f"**/attempts/{attempt.pk}/save/", handle)
    return log


@pytest.mark.parametrize("how", ["abort", "500"])
def test_a_failed_save_is_announced_kept_and_retried_until_stored(page, sign_in, how):
    from playwright.sync_api import expect

    from buildreal.assessments.models import AttemptAnswer

    attempt = open_attempt(sign_in(page.context, f"sam-{how}"))
    page.goto(f"/attempts/{attempt.pk}/")
    log = failing_saves(page, attempt, how, times=2)
    page.fill("input[name=q-q3]", "44")
    page.keyboard.press("Tab")  # "change": saved
    status = page.locator("#save-status")
    expect(status).to_have_text(NOT_SAVED)
    assert status.get_attribute("role") == "status"  # a live region: announced
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()
    # Retried with backoff (1 s, then 2 s) until a request gets through.
    expect(status).to_have_text("All answers saved.", timeout=10_000)
    assert log == [how, how, "through"]
    expect(page.locator("#answered-counter")).to_contain_text("1 of 3 answered")
    assert AttemptAnswer.objects.get(attempt=attempt).given == {"value": 44.0}


def test_leaving_with_an_unsent_answer_asks_first(page, sign_in):
    from playwright.sync_api import expect

    attempt = open_attempt(sign_in(page.context, "lea"))
    page.goto(f"/attempts/{attempt.pk}/")
    failing_saves(page, attempt, "abort", times=100)
    page.fill("input[name=q-q3]", "44")
    page.keyboard.press("Tab")
    expect(page.locator("#save-status")).to_have_text(NOT_SAVED)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_only_the_changed_question_is_posted(page, sign_in):
    from playwright.sync_api import expect

    attempt = open_attempt(sign_in(page.context, "omar"))
    page.goto(f"/attempts/{attempt.pk}/")
    bodies: list[str] = []
    page.on("request", lambda request: bodies.append(request.post_data or "")
            if request.url.endswith("/save/") else None)
    page.fill("input[name=q-q3]", "44")
    page.keyboard.press("Tab")
    expect(page.locator("#answered-counter")).to_contain_text("1 of 3 answered")
    assert bodies == ["shown=q-q3&q-q3=44"]
