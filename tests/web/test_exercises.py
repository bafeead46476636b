"""Lessons that run, as a learner meets them: outputs under code, predict boxes,
notebooks to download. The sample lesson m1-l1 has one ``python exec`` block and one
``::: predict`` (its answer: "keep epoch 2")."""

from __future__ import annotations

import os

import nbformat
import pytest
from django.conf import settings
from django.test import Client

from buildreal.exercises import outputs
from buildreal.exercises.models import Prediction
from buildreal.packs.model import Course

LESSON = "/courses/sample/m1-l1/"
PREDICT = "/courses/sample/m1-l1/predict/1/"
HTMX = {"HTTP_HX_REQUEST": "true"}
ANSWER = "keep epoch 2"
EXPLANATION = "Validation loss is lowest at the <strong>second</strong> epoch"


@pytest.fixture(autouse=True)
def built(course: Course) -> None:
    """The sample's outputs, built as ``buildreal serve`` builds them at start."""
    report = outputs.build(course)
    assert report.failures == []


def test_outputs_live_in_the_session_folder() -> None:
    assert str(settings.BUILDREAL_OUTPUTS_DIR) == os.environ["BUILDREAL_OUTPUTS_DIR"]


def test_lesson_shows_what_exec_code_prints_under_it(client: Client) -> None:
    page = client.get(LESSON).content.decode()

    code = page.index("lowest validation loss at epoch")
    output = '<pre class="output-text" tabindex="0">lowest validation loss at epoch 2'
    assert page.index(output, code) > code


def test_predict_box_asks_first_and_keeps_the_answer_back(client: Client) -> None:
    page = client.get(LESSON).content.decode()

    assert "After which epoch would early stopping keep the weights?" in page
    assert 'name="prediction"' in page and "Reveal the output" in page
    assert f'<pre class="output-text" tabindex="0">{ANSWER}' not in page
    assert EXPLANATION not in page


def test_anonymous_visitor_reveals_without_storing(client: Client, db) -> None:  # noqa: ANN001
    response = client.post(PREDICT, {"prediction": "epoch 4"}, **HTMX)

    box = response.content.decode()
    assert response.status_code == 200
    assert "epoch 4" in box and f'<pre class="output-text" tabindex="0">{ANSWER}' in box
    assert EXPLANATION in box and "Sign in to keep your predictions" in box
    assert not Prediction.objects.exists()


def test_signed_in_learner_keeps_one_prediction_per_block(alice, alice_client: Client) -> None:
    first = alice_client.post(PREDICT, {"prediction": "epoch 4"})
    alice_client.post(PREDICT, {"prediction": "  epoch 2  "}, **HTMX)

    assert first.status_code == 302 and first.url == f"{LESSON}#predict-1"
    row = Prediction.objects.get()
    assert (row.user, row.course_id, row.item_id, row.ordinal, row.text) == (
        alice, "sample", "m1-l1", 1, "epoch 2")
    page = alice_client.get(LESSON).content.decode()
    assert "epoch 2</pre>" in page and EXPLANATION in page
    assert 'name="prediction"' not in page


def test_a_learner_never_sees_another_learners_prediction(alice_client: Client,
                                                          bob_client: Client) -> None:
    bob_client.post(PREDICT, {"prediction": "bob thinks epoch 3"})

    page = alice_client.get(LESSON).content.decode()
    assert "bob thinks" not in page and 'name="prediction"' in page


def test_prediction_text_is_escaped(alice_client: Client) -> None:
    alice_client.post(PREDICT, {"prediction": "<script>alert(1)</script>"})

    page = alice_client.get(LESSON).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_prediction_with_a_nul_character_is_refused_and_not_stored(
        alice_client: Client) -> None:
    # The site's input guard (web/guards.py) or, without it, the view refuses it.
    for extra in ({}, HTMX):
        response = alice_client.post(PREDICT, {"prediction": "epoch\x002"}, **extra)
        assert response.status_code == 400
        assert "NUL character" in response.content.decode()
    assert not Prediction.objects.exists()


def test_the_view_itself_refuses_a_nul_character() -> None:
    from buildreal.exercises.views import _validate

    assert "NUL character" in _validate("epoch\x002")
    assert _validate("epoch 2") == ""


@pytest.mark.parametrize(("text", "message"), [
    ("   ", "Type what you expect the code to print"),
    ("x" * 2001, "under 2000 characters (it has 2001)"),
])
def test_bad_prediction_is_refused_with_what_to_fix(alice_client: Client, text: str,
                                                    message: str) -> None:
    plain = alice_client.post(PREDICT, {"prediction": text})
    htmx = alice_client.post(PREDICT, {"prediction": text}, **HTMX)

    assert plain.status_code == 400 and message in plain.content.decode()
    assert htmx.status_code == 200 and message in htmx.content.decode()
    assert 'aria-invalid="true"' in htmx.content.decode()
    assert EXPLANATION not in htmx.content.decode()
    assert not Prediction.objects.exists()


@pytest.mark.parametrize("url", [
    "/courses/sample/m1-l1/predict/2/",  # the lesson has one predict block
    "/courses/sample/m1-l1-quiz/predict/1/",  # not a page with prose
    "/courses/sample/no-such-item/predict/1/",
    "/courses/nope/m1-l1/predict/1/",
])
def test_predict_on_something_that_is_not_a_predict_block_is_404(alice_client: Client,
                                                                 url: str) -> None:
    assert alice_client.post(url, {"prediction": "2"}).status_code == 404


def test_predict_needs_post_and_a_csrf_token(alice) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert client.get(PREDICT).status_code == 405
    assert client.post(PREDICT, {"prediction": "2"}).status_code == 403
    assert not Prediction.objects.exists()


def test_lesson_with_code_offers_its_notebook_with_outputs(client: Client) -> None:
    page = client.get(LESSON).content.decode()
    response = client.get(f"{LESSON}notebook.ipynb")

    assert 'href="/courses/sample/m1-l1/notebook.ipynb"' in page
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="m1-l1.ipynb"'
    notebook = nbformat.reads(response.content.decode(), as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) == 3  # the plain block, the exec block, the predict block
    assert code[1].outputs[0]["text"] == "lowest validation loss at epoch 2\n"
    assert code[2].outputs == []  # the learner runs it after predicting
    prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "http://testserver/courses/sample/m1-l1-quiz/" in prose
    assert "item:" not in prose and "::: " not in prose


def test_page_without_code_has_no_notebook(client: Client, course: Course) -> None:
    without = next(i for i in course.items() if i.kind in ("lesson", "page")
                   and "```python" not in i.body)
    page = client.get(f"/courses/sample/{without.id}/").content.decode()

    assert "notebook.ipynb" not in page
    assert client.get(f"/courses/sample/{without.id}/notebook.ipynb").status_code == 404


def test_output_figures_are_served_only_for_stored_outputs(client: Client) -> None:
    assert client.get("/courses/sample/outputs/" + "a" * 64 + "/x.png").status_code == 404
    assert client.get("/courses/sample/outputs/../../etc/passwd").status_code == 404
