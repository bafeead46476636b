"""The answer key stays on the server: review policies per test and exam, question pools
drawn per attempt, and variants with other numbers, so that a blank first attempt or a
throw-away account does not hand over the right options of the next attempt."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.urls import reverse

from buildreal.assessments import attempts
from buildreal.assessments.models import Attempt

EXAM_START = reverse("assessments:start", args=("sample", "final-exam"))
TEST_START = reverse("assessments:start", args=("sample", "m1-test"))
KEY_MARKERS = ("correct-option", "Right answer", 'class="explanation prose"', "Expected:")


def _start(client, url: str) -> Attempt:
    response = client.post(url)
    return Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/", response["Location"])
                                      .group(1)))


def _page(client, attempt: Attempt) -> str:
    return client.get(reverse("assessments:attempt", args=(attempt.pk,))).content.decode()


def _submit_blank(client, attempt: Attempt) -> None:
    client.post(reverse("assessments:submit", args=(attempt.pk,)), {})


def _with_review(course, item_id: str, policy: str):
    item = course.item(item_id)
    return dataclasses.replace(item, assessment=dataclasses.replace(item.assessment,
                                                                    review=policy))


@pytest.mark.django_db
def test_a_blank_first_attempt_does_not_reveal_the_key(alice_client):
    attempt = _start(alice_client, TEST_START)
    _submit_blank(alice_client, attempt)
    review = _page(alice_client, attempt)
    assert "Not passed yet" in review and "0%" in review
    assert review.count("Not answered") == 3  # which questions were missed still shows
    for marker in KEY_MARKERS:
        assert marker not in review
    assert "show once you pass or have used your last attempt" in review


@pytest.mark.django_db
def test_a_throwaway_accounts_review_does_not_reveal_anothers_key(alice_client, bob_client):
    # Bob sits the test blank to harvest answers for Alice; his review holds no key.
    bobs = _start(bob_client, TEST_START)
    _submit_blank(bob_client, bobs)
    for marker in KEY_MARKERS:
        assert marker not in _page(bob_client, bobs)


@pytest.mark.django_db
@pytest.mark.parametrize(("policy", "after_fail", "after_pass", "after_last"), [
    ("after-each-attempt", True, True, True),
    ("after-pass", False, True, False),
    ("after-last-attempt", False, False, True),
    ("never", False, False, False),
    ("after-pass-or-last-attempt", False, True, True),
])
def test_each_review_policy_reveals_the_key_only_when_it_says(
        alice, bob, course, policy, after_fail, after_pass, after_last):
    item = _with_review(course, "m1-test", policy)  # two attempts allowed
    failed = attempts.start(alice, course, item)
    attempts.submit(failed, course, item)
    assert attempts.reveals_answers(failed, course, item) is after_fail
    Attempt.objects.filter(pk=failed.pk).update(passed=True)
    assert attempts.reveals_answers(failed, course, item) is after_pass
    first = attempts.start(bob, course, item)
    attempts.submit(first, course, item)
    last = attempts.start(bob, course, item)
    attempts.submit(last, course, item)
    assert attempts.reveals_answers(last, course, item) is after_last


@pytest.mark.django_db
def test_the_policy_is_stated_on_the_test_page(alice_client):
    page = alice_client.get(reverse("catalog:item", args=("sample", "m1-test"))).content
    assert b"The right answers and explanations show once you pass" in page


@pytest.mark.django_db
def test_an_attempt_draws_its_questions_from_the_pool(alice_client, course):
    exam = course.item("final-exam")
    attempt = _start(alice_client, EXAM_START)
    page = _page(alice_client, attempt)
    shown = re.findall(r'name="shown" value="q-([^"]+)"', page)
    drawn = [q.id for q in attempts.drawn_questions(attempt.seed, exam)]
    assert len(shown) == exam.assessment.draw == 3 and sorted(shown) == sorted(drawn)
    assert "of 3 answered" in page
    assert shown == re.findall(r'name="shown" value="q-([^"]+)"', _page(alice_client, attempt))
    assert "3 questions, drawn for each attempt from a pool of 6" in alice_client.get(
        reverse("catalog:item", args=("sample", "final-exam"))).content.decode()


@pytest.mark.django_db
def test_retakes_draw_different_sheets(course):
    exam = course.item("final-exam")
    sheets = {tuple(sorted((q.id, q.prompt) for q in attempts.drawn_questions(str(s), exam)))
              for s in range(40)}
    ids = {qid for sheet in sheets for qid, _ in sheet}
    prompts = {prompt for sheet in sheets for qid, prompt in sheet if qid == "q3"}
    assert len(sheets) > 10  # far from one fixed sheet
    assert ids == {q.id for q in exam.assessment.questions}  # every pool question comes up
    assert len(prompts) == 3  # q3 and its two variants


@pytest.mark.django_db
def test_a_variant_is_graded_against_its_own_numbers(alice_client, alice, course):
    exam = course.item("final-exam")
    seed = next(str(s) for s in range(1000) if any(
        q.id == "q3" and q.answer == 1.7 for q in attempts.drawn_questions(str(s), exam)))
    attempt = _start(alice_client, EXAM_START)
    attempt.seed = seed
    attempt.save(update_fields=["seed"])
    page = _page(alice_client, attempt)
    assert "w = 2.0, gradient 3.0, learning rate 0.1" in page
    assert "w = 1.0, gradient 4.0" not in page
    alice_client.post(reverse("assessments:submit", args=(attempt.pk,)),
                      {"shown": "q-q3", "q-q3": "1.7"})
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(1 / 3)  # one of the three drawn, the variant's answer
    assert "Expected: 1.7" in _page(alice_client, attempt)  # last attempt: key shown
