"""The capstone exchange in real browsers: two learners in two contexts complete it
together, and a learner with no peer completes it with the lab partner."""

from __future__ import annotations

from datetime import timedelta

import pytest

from buildreal.capstones import services
from buildreal.capstones.models import Brief
from buildreal.progress.models import Completion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = "/courses/sample/m2-capstone/"


def brief_text(model: str) -> str:
    return (f"# Model\n{model}\n\n# Data split\nA validation set and a test set held out "
            "from training, photographed on other days.\n\n# Learning rate\nA range test "
            "from 1e-5 to 1.\n\n# Stopping rule\nTrain for 50 epochs.\n")


@pytest.fixture(autouse=True)
def lexical_partner(monkeypatch):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.delenv("BUILDREAL_LLM_URL", raising=False)


def write_and_submit(page, text: str) -> None:
    from playwright.sync_api import expect

    page.goto(PAGE)
    editor = page.locator("#brief-text")
    editor.fill("# Model\nA small CNN")
    expect(page.locator("#word-count")).to_have_text("4 words")  # live, before any save
    expect(page.locator('#sections-checklist li[data-section="Model"]')).to_have_class("found")
    expect(page.locator("#saved-at")).to_be_visible()  # autosaved
    editor.fill(text)
    expect(page.locator('#sections-checklist li[data-section="Stopping rule"]')
           ).to_have_class("found")
    page.click("text=Submit the brief")
    expect(page.locator("#exchange-steps li").first).to_have_class("done")


def test_two_learners_complete_a_whole_exchange(browser, live_server, sign_in):
    from playwright.sync_api import expect

    pages = {}
    for name in ("ana", "ben"):
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        sign_in(context, name)
        pages[name] = context.new_page()
    ana, ben = pages["ana"], pages["ben"]
    try:
        write_and_submit(ana, brief_text("A small CNN from scratch."))
        expect(ana.locator("#waiting")).to_be_visible()
        write_and_submit(ben, brief_text("A ResNet-18 fine-tuned from ImageNet weights."))
        ana.reload()
        pseudonyms = {b.user.username: b.pseudonym for b in Brief.objects.select_related("user")}
        expect(ana.locator("#partner-name")).to_have_text(pseudonyms["ben"])
        expect(ben.locator("#partner-name")).to_have_text(pseudonyms["ana"])
        assert "ben" not in ana.locator("#exchange").inner_text()

        for page, part in ((ana, "Model"), (ben, "Stopping rule")):
            page.click("text=/^Read .*'s brief$/")
            expect(page.locator("#partner-brief")).to_be_visible()
            page.fill("#part-1", part)
            page.fill("#text-1", f"The {part.lower()} section does not hold up for 1,500 photos.")
            page.fill("#part-2", "Data split")
            page.fill("#text-2", "One phone and one shop: the test set is not independent.")
            page.click("text=Send both objections")
            expect(page.locator("#objections")).to_be_visible()

        for page in (ana, ben):
            page.reload()
            expect(page.locator("#objections .objection")).to_have_count(2)
            for _ in range(2):
                page.locator(".respond-form textarea").first.fill(
                    "Agreed: I will fine-tune a pretrained model and test on another phone.")
                page.locator(".respond-form button").first.click()
                page.wait_for_load_state()
            expect(page.locator("#editor-heading")).to_have_text("Revise your brief")
            page.locator("#brief-text").fill(brief_text("A ResNet-18 fine-tuned, pretrained."))
            page.click("text=Submit the revision")
            expect(page.locator("#exchange-done")).to_be_visible()
            expect(page.locator("#brief-diff ins").first).to_be_visible()
        assert Completion.objects.filter(item_id="m2-capstone").count() == 2
    finally:
        for page in pages.values():
            page.context.close()


def test_a_learner_without_a_peer_is_paired_with_the_lab_partner(page, sign_in, monkeypatch):
    from django.utils import timezone
    from playwright.sync_api import expect

    sign_in(page.context, "uma")
    write_and_submit(page, brief_text("A small CNN trained from scratch."))
    expect(page.locator("#waiting")).to_contain_text("24 hours")

    later = timezone.now() + timedelta(hours=25)
    monkeypatch.setattr(services, "now", lambda: later)
    page.reload()
    expect(page.locator("#partner-name")).to_have_text("the lab partner")
    objections = page.locator("#objections .objection")
    expect(objections).to_have_count(2)
    expect(objections.first).to_contain_text("disputes: Model")
    expect(objections.first).to_contain_text("Would you train from scratch on 1,500 photos?")

    page.locator(".respond-form textarea").first.fill(
        "I will fine-tune a pretrained network; transfer learning suits 1,500 photos.")
    page.locator(".respond-form button").first.click()
    expect(page.locator(".verdict").first).to_contain_text("answers this objection")
    page.locator(".respond-form textarea").first.fill("Fifty epochs should do.")
    page.locator(".respond-form button").first.click()
    expect(page.locator(".verdict")).to_have_count(2)
    expect(page.locator(".verdict").nth(1)).to_contain_text("does not answer this objection")

    page.locator("#brief-text").fill(brief_text("A pretrained ResNet-18, fine-tuned.")
                                     + "\nStop at the best validation epoch.\n")
    page.click("text=Submit the revision")
    expect(page.locator("#exchange-done")).to_be_visible()
    assert Completion.objects.filter(item_id="m2-capstone").count() == 1
