"""Predict boxes and widgets in a real browser, driven from the keyboard."""

from __future__ import annotations

import re

import pytest

from buildreal.exercises import outputs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def built(course) -> None:  # noqa: ANN001
    assert outputs.build(course).failures == []


def _errors(page) -> list[str]:  # noqa: ANN001
    """Console errors (a CSP refusal or a script error shows up here)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_prediction_is_typed_and_revealed_from_the_keyboard_and_kept(page, sign_in) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    from buildreal.exercises.models import Prediction

    sign_in(page.context, "kim")
    errors = _errors(page)
    page.goto("/courses/sample/m1-l1/")
    box = page.locator("#predict-box-1")
    expect(box.locator(".predict-answer")).to_have_count(0)

    box.get_by_label("Your prediction").focus()
    page.keyboard.type("epoch 2")
    page.keyboard.press("Tab")  # to the Reveal button
    expect(box.get_by_role("button", name="Reveal the output")).to_be_focused()
    page.keyboard.press("Enter")

    answer = page.locator("#predict-answer-1")
    expect(answer).to_contain_text("keep epoch 2")
    expect(answer).to_contain_text("Validation loss is lowest at the second epoch")
    expect(answer).to_be_focused()  # a screen reader reads the answer next
    assert Prediction.objects.get().text == "epoch 2"
    page.reload()
    expect(page.locator("#predict-box-1 .predict-text")).to_have_text("epoch 2")
    assert errors == []


def test_ctrl_enter_reveals_for_an_anonymous_visitor(page) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    from buildreal.exercises.models import Prediction

    page.goto("/courses/sample/m1-l1/")
    page.get_by_label("Your prediction").focus()
    page.keyboard.type("epoch 3")
    page.keyboard.press("Control+Enter")

    expect(page.locator("#predict-answer-1")).to_contain_text("keep epoch 2")
    expect(page.locator("#predict-box-1")).to_contain_text("Sign in to keep your predictions")
    assert not Prediction.objects.exists()


def test_widgets_render_and_answer_the_keyboard(page) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    errors = _errors(page)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto("/courses/sample/m2-l1/")
    descent = page.locator('figure[data-widget="gradient-descent"]')
    readout = descent.locator(".widget-readout")
    expect(readout).to_contain_text("After 100 steps")
    painted = descent.locator("canvas").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 120)"
        " n++; return n; }")
    assert painted > 20  # the orange path is drawn
    assert descent.locator("canvas").bounding_box()["width"] <= 390

    before = readout.inner_text()
    descent.get_by_label("Learning rate").focus()
    for _ in range(25):
        page.keyboard.press("ArrowRight")
    expect(readout).not_to_have_text(before)
    expect(readout).to_contain_text("Diverged")

    network = page.locator('figure[data-widget="tiny-network"]')
    expect(network.locator(".widget-readout")).to_contain_text("Untrained")
    network.get_by_role("button", name="One step").focus()
    page.keyboard.press("Enter")
    expect(network.locator(".widget-readout")).to_contain_text("Step 1:")
    network.get_by_role("button", name="Train").click()
    # training runs on: the step count passes 1 without further key presses
    expect(network.locator(".widget-readout")).to_have_text(
        re.compile(r"^Step ([2-9]|\d{2,}):"), timeout=5_000)
    assert errors == []
