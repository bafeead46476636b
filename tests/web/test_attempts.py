"""Module tests and exams: attempts, saving as you go, one submission, review, limits,
and the promise that nothing reveals the right option before submission."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buildreal.assessments import attempts
from buildreal.assessments.models import Attempt, AttemptAnswer
from buildreal.progress.models import Completion

from .conftest import HTMX
from .helpers import option_texts, option_value, section

TEST_PAGE = reverse("catalog:item", args=("sample", "m1-test"))
START = reverse("assessments:start", args=("sample", "m1-test"))


def start(client: Client) -> Attempt:
    response = client.post(START)
    assert response.status_code == 302
    pk = int(re.search(r"/attempts/(\d+)/", response["Location"]).group(1))
    return Attempt.objects.get(pk=pk)


def attempt_page(client: Client, attempt: Attempt) -> str:
    return client.get(reverse("assessments:attempt", args=(attempt.pk,))).content.decode()


def form_values(client: Client, attempt: Attempt, course, *, right: bool) -> dict[str, object]:
    """A complete answer sheet, all right or all wrong, read off the attempt page."""
    page = attempt_page(client, attempt)
    values: dict[str, object] = {}
    for qid in ("q1", "q2"):
        texts = option_texts(course, "m1-test", qid, correct=right)
        if qid == "q1":
            texts = texts[:1]  # a single-choice question takes one option
        values[f"q-{qid}"] = [option_value(page, text) for text in texts]
    values["q-q3"] = "44" if right else "40"
    values["shown"] = re.findall(r'name="shown" value="([^"]+)"', page)
    return values


def save_url(attempt: Attempt) -> str:
    return reverse("assessments:save", args=(attempt.pk,))


def submit_url(attempt: Attempt) -> str:
    return reverse("assessments:submit", args=(attempt.pk,))


@pytest.mark.django_db
def test_test_page_shows_the_rules_and_a_start_button(alice_client):
    page = alice_client.get(TEST_PAGE).content.decode()
    assert "3 questions" in page and "Pass mark: 66%" in page
    assert "2 attempts allowed; 2 left" in page and "Time limit: 20 minutes" in page
    assert "Start the test" in page


@pytest.mark.django_db
def test_attempt_page_shows_every_question_and_an_answered_counter(alice_client):
    attempt = start(alice_client)
    page = attempt_page(alice_client, attempt)
    assert page.count('<fieldset class="question"') == 3
    assert "<strong>0</strong> of 3 answered" in page
    assert f'data-autosave="{save_url(attempt)}"' in page


@pytest.mark.django_db
def test_nothing_on_the_attempt_page_marks_the_correct_option(alice_client, course):
    attempt = start(alice_client)
    page = attempt_page(alice_client, attempt)
    for marker in ("correct", "Right answer", "is-correct", "data-correct", "mark-right"):
        assert marker not in page, marker
    for q in course.item("m1-test").assessment.questions:
        assert q.explanation_correct[:25] not in page
        assert q.explanation_incorrect[:25] not in page
        for option in q.options:
            assert f'value="{option.id}"' not in page
    # The numeric answer (44) is neither prefilled nor shown anywhere as text.
    assert 'value="44"' not in page and not re.search(r"[\s>]44[\s<.,]", page)


@pytest.mark.django_db
def test_saving_a_right_or_a_wrong_choice_returns_identical_bytes(alice_client, course):
    attempt = start(alice_client)
    right = form_values(alice_client, attempt, course, right=True)
    wrong = form_values(alice_client, attempt, course, right=False)
    replies = []
    one_right = {"shown": "q-q1", "q-q1": right["q-q1"]}
    one_wrong = {"shown": "q-q1", "q-q1": wrong["q-q1"]}
    for sheet in (right, wrong, one_right, one_wrong):
        response = alice_client.post(save_url(attempt), sheet, **HTMX)
        replies.append((response.status_code, sorted(response.headers.items()), response.content))
    assert replies[0] == replies[1]
    assert replies[2] == replies[3]
    assert b"<strong>3</strong> of 3 answered" in replies[0][2]
    assert not AttemptAnswer.objects.filter(correct__isnull=False).exists()  # nothing graded


@pytest.mark.django_db
def test_saved_answers_survive_a_reload(alice_client, course):
    attempt = start(alice_client)
    sheet = form_values(alice_client, attempt, course, right=True)
    alice_client.post(save_url(attempt), sheet)  # plain POST "Save answers"
    page = attempt_page(alice_client, attempt)
    assert "<strong>3</strong> of 3 answered" in page
    checked = re.findall(r'value="(o\d+)" checked', section(page, "question-1", "fieldset"))
    assert checked == sheet["q-q1"]
    assert 'value="44"' in page


@pytest.mark.django_db
def test_clearing_a_multiple_choice_question_removes_its_answer(alice_client, course):
    attempt = start(alice_client)
    alice_client.post(save_url(attempt), form_values(alice_client, attempt, course, right=True))
    sheet = form_values(alice_client, attempt, course, right=True)
    del sheet["q-q2"]  # every box of the select-all question unticked
    reply = alice_client.post(save_url(attempt), sheet, **HTMX)
    assert b"<strong>2</strong> of 3 answered" in reply.content


@pytest.mark.django_db
def test_an_empty_or_partial_post_keeps_the_saved_answers(alice_client, course):
    attempt = start(alice_client)
    alice_client.post(save_url(attempt), form_values(alice_client, attempt, course, right=True))
    alice_client.post(save_url(attempt), {"q-q1": "o1"})  # no "shown" list: nothing changes
    alice_client.post(submit_url(attempt), {})
    attempt.refresh_from_db()
    assert attempt.score == 1.0


@pytest.mark.django_db
def test_submitting_right_answers_passes_awards_xp_and_shows_the_review(
        alice_client, alice, course):
    attempt = start(alice_client)
    response = alice_client.post(submit_url(attempt),
                                 form_values(alice_client, attempt, course, right=True))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.score == 1.0 and attempt.passed
    assert Completion.objects.get(user=alice, item_id="m1-test").xp == 100
    review = attempt_page(alice_client, attempt)
    assert "Passed" in review and "100%" in review
    for q in course.item("m1-test").assessment.questions:
        assert q.explanation_correct in review


@pytest.mark.django_db
def test_a_failed_attempt_with_attempts_left_shows_the_score_but_not_the_key(
        alice_client, alice, course):
    attempt = start(alice_client)
    sheet = form_values(alice_client, attempt, course, right=False)
    sheet["q-q3"] = "44"  # one of three right: 33% < 66%
    alice_client.post(submit_url(attempt), sheet)
    attempt.refresh_from_db()
    assert attempt.passed is False and round(attempt.score, 2) == 0.33
    review = attempt_page(alice_client, attempt)
    assert "Not passed yet" in review
    assert "Your answer: 44 parameters." in review and "Expected:" not in review
    assert review.count('<span class="verdict">Wrong</span>') == 2
    assert review.count('<span class="verdict">Right</span>') == 1
    assert "Underfitting shows as high loss everywhere" not in review
    assert "correct-option" not in review and "Right answer" not in review
    assert not Completion.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_the_last_failed_attempt_shows_score_and_both_explanations(alice_client, course):
    for _ in range(2):  # the sample test allows two attempts
        attempt = start(alice_client)
        sheet = form_values(alice_client, attempt, course, right=False)
        sheet["q-q3"] = "44"
        alice_client.post(submit_url(attempt), sheet)
    review = attempt_page(alice_client, attempt)
    assert "Your answer: 44 parameters. Expected: 44 parameters." in review
    assert "Underfitting shows as high loss everywhere" in review
    assert "A near-zero training loss with a rising validation loss" in review


@pytest.mark.django_db
def test_unanswered_questions_count_as_wrong(alice_client, course):
    attempt = start(alice_client)
    alice_client.post(submit_url(attempt), {"shown": "q-q3", "q-q3": "44"})
    attempt.refresh_from_db()
    assert round(attempt.score, 2) == 0.33
    assert "Not answered" in attempt_page(alice_client, attempt)


@pytest.mark.django_db
def test_an_attempt_is_submitted_once_and_then_refuses_changes(alice_client, course):
    attempt = start(alice_client)
    right = form_values(alice_client, attempt, course, right=True)
    wrong = form_values(alice_client, attempt, course, right=False)
    alice_client.post(submit_url(attempt), wrong)
    alice_client.post(submit_url(attempt), right)
    reply = alice_client.post(save_url(attempt), right, **HTMX)
    attempt.refresh_from_db()
    assert attempt.score == 0.0
    assert reply.status_code == 409 and reply["HX-Redirect"].endswith(f"/attempts/{attempt.pk}/")


@pytest.mark.django_db
def test_starting_again_while_an_attempt_is_open_continues_it(alice_client):
    first = start(alice_client)
    assert start(alice_client).pk == first.pk
    assert "Continue attempt 1" in alice_client.get(TEST_PAGE).content.decode()


@pytest.mark.django_db
def test_the_attempt_limit_is_enforced_on_the_server(alice_client, alice):
    for _ in range(2):
        attempt = start(alice_client)
        alice_client.post(submit_url(attempt), {})
    response = alice_client.post(START, follow=True)
    assert "You have used all 2 attempts" in response.content.decode()
    assert Attempt.objects.filter(user=alice).count() == 2
    assert "No attempts left." in alice_client.get(TEST_PAGE).content.decode()


@pytest.mark.django_db
def test_answers_after_the_deadline_are_refused_and_the_attempt_is_submitted(
        alice_client, course):
    attempt = start(alice_client)
    right = form_values(alice_client, attempt, course, right=True)
    alice_client.post(save_url(attempt), {"shown": "q-q3", "q-q3": "44"}, **HTMX)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    reply = alice_client.post(save_url(attempt), right, **HTMX)
    assert reply.status_code == 409
    attempt.refresh_from_db()
    assert attempt.is_submitted and round(attempt.score, 2) == 0.33  # only q3 was in time
    assert attempt.submitted_at <= attempt.deadline


@pytest.mark.django_db
def test_an_expired_attempt_is_submitted_when_next_viewed(alice_client):
    attempt = start(alice_client)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    page = attempt_page(alice_client, attempt)
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert "Not passed yet" in page


@pytest.mark.django_db
def test_a_timed_attempt_stores_its_deadline(alice_client, course):
    before = timezone.now()
    attempt = start(alice_client)
    limit = course.item("m1-test").assessment.time_limit_minutes
    assert before + timedelta(minutes=limit) <= attempt.deadline
    assert attempt.deadline <= timezone.now() + timedelta(minutes=limit)
    assert 'data-deadline="' in attempt_page(alice_client, attempt)


@pytest.mark.django_db
def test_shuffled_exam_keeps_its_order_within_an_attempt(alice_client):
    response = alice_client.post(reverse("assessments:start", args=("sample", "final-exam")))
    page_url = response["Location"]
    first = alice_client.get(page_url).content.decode()
    second = alice_client.get(page_url).content.decode()
    pattern = r'value="(o\d+)"[^>]*>\s*<span>(.*?)</span>'
    assert re.findall(pattern, first) == re.findall(pattern, second)


# --- per-object authorization: Bob tries Alice's attempt ---------------------------------

@pytest.mark.django_db
def test_learner_cannot_read_another_learners_attempt(alice_client, bob_client):
    attempt = start(alice_client)
    assert bob_client.get(reverse("assessments:attempt", args=(attempt.pk,))).status_code == 404


@pytest.mark.django_db
def test_learner_cannot_change_another_learners_answers(alice_client, bob_client, course):
    attempt = start(alice_client)
    sheet = form_values(alice_client, attempt, course, right=False)
    assert bob_client.post(save_url(attempt), sheet).status_code == 404
    assert bob_client.post(save_url(attempt), sheet, **HTMX).status_code == 404
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()


@pytest.mark.django_db
def test_learner_cannot_submit_another_learners_attempt(alice_client, bob_client):
    attempt = start(alice_client)
    assert bob_client.post(submit_url(attempt), {}).status_code == 404
    attempt.refresh_from_db()
    assert not attempt.is_submitted


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in_for_attempts(client, alice_client):
    attempt = start(alice_client)
    for response in (client.get(reverse("assessments:attempt", args=(attempt.pk,))),
                     client.post(save_url(attempt), {}), client.post(submit_url(attempt), {}),
                     client.post(START)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert Attempt.objects.count() == 1


@pytest.mark.django_db
def test_a_missing_attempt_id_gives_404(alice_client):
    assert alice_client.get(reverse("assessments:attempt", args=(999999,))).status_code == 404


@pytest.mark.django_db
def test_the_outline_submits_an_attempt_whose_time_ran_out(alice_client):
    attempt = start(alice_client)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    page = alice_client.get("/courses/sample/").content.decode()
    attempt.refresh_from_db()
    assert attempt.is_submitted
    row = re.search(r'<li class="outline-item state-(\S+)">\s*<span class="kind kind-test">', page)
    assert row.group(1) == "failed"


# --- races, late submissions and restarts ------------------------------------------------

@pytest.mark.django_db
def test_a_start_racing_another_start_continues_the_open_attempt(alice_client, alice,
                                                                  monkeypatch):
    """Two Start clicks at once: the second request looked for an open attempt before the
    first one's was committed. It must continue that attempt, not open (and use up) a
    second one."""
    from buildreal.assessments import attempts

    first = start(alice_client)
    real_open_attempt = attempts.open_attempt
    calls = []

    def not_yet_visible(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_open_attempt(*args)

    monkeypatch.setattr(attempts, "open_attempt", not_yet_visible)
    assert start(alice_client).pk == first.pk
    assert Attempt.objects.filter(user=alice).count() == 1


@pytest.mark.django_db
def test_the_database_keeps_one_open_attempt_per_learner_and_item(alice, bob):
    from django.db import IntegrityError, transaction

    fields = {"course_id": "sample", "item_id": "m1-test", "content_hash": "h", "seed": "s"}
    Attempt.objects.create(user=alice, number=1, **fields)
    Attempt.objects.create(user=bob, number=1, **fields)  # another learner: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(user=alice, number=2, **fields)
    Attempt.objects.filter(user=alice).update(submitted_at=timezone.now(), score=0,
                                              passed=False)
    Attempt.objects.create(user=alice, number=2, **fields)  # once the first is submitted


@pytest.mark.django_db
def test_a_submission_after_the_deadline_counts_only_answers_saved_in_time(
        alice_client, alice, course):
    attempt = start(alice_client)
    right = form_values(alice_client, attempt, course, right=True)
    alice_client.post(save_url(attempt), {"shown": "q-q3", "q-q3": "44"}, **HTMX)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = alice_client.post(submit_url(attempt), right)  # the full right sheet, too late
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted and round(attempt.score, 2) == 0.33 and not attempt.passed
    assert set(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id",
                                                                         flat=True)) == {"q3"}
    assert not Completion.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_a_submission_from_a_stale_page_changes_nothing_after_the_first(
        alice_client, alice, course):
    """The second of two simultaneous submissions read the attempt before the first was
    committed: its answers and its grading must both be refused."""
    from django.utils.datastructures import MultiValueDict

    from buildreal.assessments import attempts

    attempt = start(alice_client)
    right = form_values(alice_client, attempt, course, right=True)
    stale = Attempt.objects.get(pk=attempt.pk)  # loaded before the first submission
    alice_client.post(submit_url(attempt), {})  # nothing answered: 0%
    item = course.item("m1-test")
    sheet = MultiValueDict({key: value if isinstance(value, list) else [value]
                            for key, value in right.items()})
    with pytest.raises(attempts.AttemptError):
        attempts.save(stale, item, sheet)
    attempts.submit(stale, course, item)
    attempt.refresh_from_db()
    assert attempt.score == 0.0 and attempt.passed is False
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()
    assert not Completion.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_saved_answers_and_their_order_survive_a_server_restart(alice_client, alice, course):
    from buildreal.catalog import rendering
    from buildreal.catalog.content import reset_catalog

    response = alice_client.post(reverse("assessments:start", args=("sample", "final-exam")))
    attempt = Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/",
                                                   response["Location"]).group(1)))
    # A seed whose draw holds q1 and q3 (the exam draws 3 of its 6 questions).
    exam = course.item("final-exam")
    attempt.seed = next(seed for seed in map(str, range(1000)) if {"q1", "q3"} <= {
        q.id for q in attempts.drawn_questions(seed, exam)})
    attempt.save(update_fields=["seed"])
    before = attempt_page(alice_client, attempt)
    shown = re.findall(r'name="shown" value="([^"]+)"', before)
    chosen = re.findall(r'name="q-q1" value="(o\d+)"', before)[-1]
    alice_client.post(save_url(attempt), {"shown": shown, "q-q1": chosen, "q-q3": "12.5"})

    reset_catalog()  # a new process: packs read again, caches empty, a fresh session
    rendering.clear_cache()
    after_client = Client()
    after_client.force_login(alice)
    after = attempt_page(after_client, attempt)
    pattern = r'name="(q-[\w-]+)" value="(o\d+)"[^>]*>\s*<span>(.*?)</span>'
    assert re.findall(pattern, after) == re.findall(pattern, before)  # same order
    assert re.findall(r'name="q-q1" value="(o\d+)" checked', after) == [chosen]
    assert 'value="12.5"' in after
    assert "<strong>2</strong> of 3 answered" in after


@pytest.mark.django_db
def test_the_answered_counter_is_announced_after_each_save(alice_client):
    attempt = start(alice_client)
    page = attempt_page(alice_client, attempt)
    # autosave.js replaces #answered-counter inside a live region that stays in the page.
    assert re.search(r'<div[^>]*aria-live="polite"[^>]*><p id="answered-counter"', page)
    assert 'data-autosave="/attempts/' in page and "assessments/autosave.js" in page
    reply = alice_client.post(save_url(attempt), {"shown": "q-q3", "q-q3": "44"}, **HTMX)
    assert reply.content.decode().startswith('<p id="answered-counter"')
    assert "aria-live" not in reply.content.decode()
    for number in (1, 2, 3):
        assert f'aria-labelledby="question-{number}-prompt"' in page


@pytest.mark.django_db
def test_an_earlier_review_is_withheld_while_a_new_attempt_is_open(alice_client, course):
    first = start(alice_client)
    alice_client.post(submit_url(first), form_values(alice_client, first, course, right=True))
    explanation = course.item("m1-test").assessment.questions[0].explanation_correct
    assert explanation in attempt_page(alice_client, first)  # passed: reviewable
    second = start(alice_client)
    assert "Reviews stay hidden while a new attempt is open" in alice_client.get(
        TEST_PAGE).content.decode()
    withheld = attempt_page(alice_client, first)
    assert "Passed" in withheld  # the score still shows
    assert f"hidden while attempt {second.number} is open" in withheld
    assert explanation not in withheld
    for marker in ("correct-option", "Right answer", "mark-right"):
        assert marker not in withheld
    alice_client.post(submit_url(second), {})
    assert explanation in attempt_page(alice_client, first)  # back once it is submitted


@pytest.mark.django_db
def test_a_gap_in_the_attempt_numbers_does_not_block_a_new_start(alice_client, alice):
    first = start(alice_client)
    alice_client.post(submit_url(first), {})
    Attempt.objects.filter(pk=first.pk).update(number=2)  # attempt 1 was removed by hand
    second = start(alice_client)
    assert second.number == 3 and not second.is_submitted


@pytest.mark.django_db(transaction=True)
def test_upgrading_folds_twin_open_attempts_into_the_first_keeping_their_answers(alice):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("assessments", "0001_initial")], [("assessments", "0002_one_open_attempt")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before[0]).apps
        OldAttempt = old.get_model("assessments", "Attempt")
        OldAnswer = old.get_model("assessments", "AttemptAnswer")
        fields = {"user_id": alice.pk, "course_id": "sample", "item_id": "m1-test",
                  "content_hash": "h", "seed": "s"}
        kept = OldAttempt.objects.create(number=1, **fields)
        twin = OldAttempt.objects.create(number=2, **fields)
        OldAnswer.objects.create(attempt=kept, question_id="q1", given={"options": ["a"]})
        OldAnswer.objects.create(attempt=twin, question_id="q1", given={"options": ["b"]})
        OldAnswer.objects.create(attempt=twin, question_id="q3", given={"value": 44.0})
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    assert list(Attempt.objects.values_list("number", flat=True)) == [1]
    answers = dict(AttemptAnswer.objects.values_list("question_id", "given"))
    assert answers == {"q1": {"options": ["a"]}, "q3": {"value": 44.0}}


@pytest.mark.django_db
def test_an_exams_feedback_and_explanations_appear_only_after_submission(alice_client,
                                                                         course):
    exam = course.item("final-exam").assessment
    feedback = [o.feedback for q in exam.questions for o in q.options if o.feedback]
    explanations = [q.explanation_correct for q in exam.questions]
    assert feedback and explanations
    response = alice_client.post(reverse("assessments:start", args=("sample", "final-exam")))
    page = alice_client.get(response["Location"]).content.decode()
    shown = re.findall(r'name="shown" value="([^"]+)"', page)
    sheet = attempts.drawn_questions(Attempt.objects.get().seed, course.item("final-exam"))
    explanations = [q.explanation_correct for q in sheet]
    chosen = {f"q-{q.id}": re.findall(rf'name="q-{q.id}" value="(o\d+)"', page)[:1]
              for q in sheet if q.type != "numeric"}
    saved = alice_client.post(response["Location"] + "save/", {"shown": shown, **chosen},
                              HTTP_HX_REQUEST="true").content.decode()
    for html in (page, saved, alice_client.get(response["Location"]).content.decode()):
        for text in feedback + explanations:
            assert text[:30] not in html
    alice_client.post(response["Location"] + "submit/", {})
    review = alice_client.get(response["Location"]).content.decode()
    assert review.count('class="explanation prose"') == len(sheet) == exam.draw
    for text in explanations:
        assert text.split("$")[0][:25] in review  # the prose before any math
