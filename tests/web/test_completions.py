"""The exam's prerequisites and the course completion: an exam that stays closed until
its module tests are passed, a completion that exists only after real passes, a public
verification page (and PDF) that a forged code cannot open, and the instructor's view."""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from buildreal.assessments import attempts
from buildreal.assessments.models import Attempt
from buildreal.catalog.content import get_catalog, reset_catalog
from buildreal.certificates.models import CourseCompletion
from buildreal.teaching.models import Cohort

EXAM_PAGE = reverse("catalog:item", args=("sample", "final-exam"))


@pytest.fixture
def exam_requires_module_test(courses_root: Path) -> Iterator[None]:
    """The sample exam with ``requires: [m1-test]`` (the shared fixture pack has none)."""
    exam = courses_root / "sample-pack" / "m2-training" / "exam.yaml"
    original = exam.read_text(encoding="utf-8")
    exam.write_text(original.replace("draw: 3\n", "draw: 3\nrequires:\n  - m1-test\n", 1),
                    encoding="utf-8")
    reset_catalog()
    yield
    exam.write_text(original, encoding="utf-8")
    reset_catalog()


def sit(client: Client, item_id: str, *, right: bool) -> Attempt:
    """Start an attempt, save a full answer sheet through the page's save endpoint, submit.

    The sheet is built from what this attempt shows (its draw, variants and option
    order), all right or all wrong, and the server grades it as it grades anyone's.
    """
    response = client.post(reverse("assessments:start", args=("sample", item_id)))
    assert response.status_code == 302
    found = re.search(r"/attempts/(\d+)/", response["Location"])
    assert found, f"start of {item_id} was refused: {response['Location']}"
    attempt = Attempt.objects.get(pk=int(found.group(1)))
    item = get_catalog().courses["sample"].item(item_id)
    form: dict[str, object] = {"shown": []}
    for shown in attempts.shown_questions(attempt, item):
        form["shown"].append(shown.field)
        if shown.question.type == "numeric":
            form[shown.field] = str(shown.question.answer + (0 if right else 7))
        else:
            form[shown.field] = [value for value, option in shown.options
                                 if option.correct == right][:1 if not right else None]
    client.post(reverse("assessments:save", args=(attempt.pk,)), form)
    client.post(reverse("assessments:submit", args=(attempt.pk,)))
    attempt.refresh_from_db()
    assert attempt.passed is right
    return attempt


def complete_course(client: Client) -> CourseCompletion:
    sit(client, "m1-test", right=True)
    sit(client, "final-exam", right=True)
    return CourseCompletion.objects.get()


@pytest.fixture
def named_alice(alice):
    alice.first_name, alice.last_name, alice.email = "Alice", "Liddell", "alice@example.org"
    alice.save()
    return alice


@pytest.mark.django_db
def test_exam_cannot_be_started_before_the_module_tests_are_passed(
        exam_requires_module_test, alice_client):
    page = alice_client.get(EXAM_PAGE).content.decode()
    assert "Before you start" in page and "Module 1 Test" in page
    assert 'data-state="failed">Not passed yet' in page
    assert reverse("assessments:start", args=("sample", "final-exam")) not in page

    response = alice_client.post(reverse("assessments:start", args=("sample", "final-exam")),
                                 follow=True)
    assert not Attempt.objects.filter(item_id="final-exam").exists()
    text = response.content.decode()
    assert "This exam opens once you have passed: Module 1 Test. 1 still to pass." in text


@pytest.mark.django_db
def test_a_failed_module_test_keeps_the_exam_closed_and_a_pass_opens_it(
        exam_requires_module_test, alice_client):
    sit(alice_client, "m1-test", right=False)
    alice_client.post(reverse("assessments:start", args=("sample", "final-exam")))
    assert not Attempt.objects.filter(item_id="final-exam").exists()

    sit(alice_client, "m1-test", right=True)
    page = alice_client.get(EXAM_PAGE).content.decode()
    assert 'data-state="passed">Passed</span> <a' in page
    assert reverse("assessments:start", args=("sample", "final-exam")) in page
    sit(alice_client, "final-exam", right=True)


@pytest.mark.django_db
def test_completion_page_appears_only_after_real_passes(named_alice, alice_client):
    dashboard = alice_client.get(reverse("progress:dashboard")).content.decode()
    assert "0 of 2 passed" in dashboard
    # Neither a page's "mark complete" nor a failed exam counts as a pass.
    assert alice_client.post(reverse("catalog:complete",
                                     args=("sample", "m1-test"))).status_code == 404
    sit(alice_client, "m1-test", right=True)
    assert "1 of 2 passed" in alice_client.get(reverse("progress:dashboard")).content.decode()
    sit(alice_client, "final-exam", right=False)
    assert not CourseCompletion.objects.exists()


@pytest.mark.django_db
def test_passing_every_test_and_the_exam_gives_a_public_completion_page(
        named_alice, alice_client):
    record = complete_course(alice_client)
    assert len(record.code) >= 32 and record.learner_name == "Alice Liddell"

    dashboard = alice_client.get(reverse("progress:dashboard")).content.decode()
    url = reverse("certificates:verify", args=(record.code,))
    assert url in dashboard and "Completed" in dashboard

    page = Client().get(url)  # anyone, signed in or not
    text = page.content.decode()
    assert page.status_code == 200
    assert "Alice Liddell" in text and "Sample Course: Learning From Data" in text
    assert record.code in text and record.completed_at.strftime("%Y-%m-%d") in text
    # Nothing else about her: no e-mail, no XP, no scores (a CSRF token may hold "XP").
    assert "alice@example.org" not in text and " XP" not in text and "%" not in text


@pytest.mark.django_db
def test_a_forged_verification_code_is_refused(named_alice, alice_client):
    record = complete_course(alice_client)
    flipped = record.code[:-1] + ("A" if record.code[-1] != "A" else "B")
    for code in (flipped, secrets.token_urlsafe(24), "1", record.code.upper()):
        if code == record.code:
            continue
        assert Client().get(reverse("certificates:verify", args=(code,))).status_code == 404
        assert Client().get(reverse("certificates:pdf", args=(code,))).status_code == 404


@pytest.mark.django_db
def test_completion_pdf_is_a_pdf_with_the_learners_name(named_alice, alice_client):
    record = complete_course(alice_client)
    response = Client().get(reverse("certificates:pdf", args=(record.code,)))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Alice Liddell" in text and "Sample Course: Learning From Data" in text
    assert record.code in text.replace("\n", "")


@pytest.mark.django_db
def test_instructor_sees_completions_in_their_cohort_only(
        named_alice, alice_client, bob_client, instructor, bob):
    autumn = Cohort.objects.create(name="Autumn", instructor=instructor)
    autumn.learners.add(named_alice)
    client = Client()
    client.force_login(instructor)
    cohort_url = reverse("teaching:cohort", args=(autumn.pk,))
    assert "No learner in this cohort has completed a course yet." in \
        client.get(cohort_url).content.decode()

    mine = complete_course(alice_client)
    sit(bob_client, "m1-test", right=True)
    sit(bob_client, "final-exam", right=True)
    bobs = CourseCompletion.objects.get(user=bob)

    page = client.get(cohort_url).content.decode()
    section = page[page.index('id="completions"'):]
    assert "Alice Liddell" in section and mine.code in section
    assert bobs.code not in page  # bob is in no cohort of this instructor
