"""The busiest requests (every page's session and learner, the lesson page, a quiz answer,
an autosave) read and write with SQL built once (web/hotsql.py) instead of through the
ORM's compiler. What they return, store and show must be exactly what the ORM gave:
these tests compare them, on SQLite and, with DATABASE_URL, on PostgreSQL. Speed itself
is measured in benchmarks/web.py, never here."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buildreal.assessments import quiz
from buildreal.assessments.models import Attempt, AttemptAnswer, QuizAnswer, QuizReveal
from buildreal.flashcards.models import CardState
from buildreal.flashcards.services import due_count
from buildreal.web.hotsql import Aggregate, Insert, Select
from buildreal.web.sessions import SessionStore

from .conftest import HTMX

QUIZ_Q3 = reverse("assessments:quiz-answer", args=("sample", "m1-l1-quiz", "q3"))


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


# --- the helper itself -------------------------------------------------------------------

@pytest.mark.django_db
def test_a_prebuilt_select_gives_the_same_objects_as_the_orm(alice, bob):
    due = timezone.now() - timedelta(hours=3)
    for user, card in ((alice, "relu"), (alice, "epoch"), (bob, "relu")):
        CardState.objects.create(user=user, course_id="sample", item_id="m2-cards",
                                 card_id=card, source="deck", fsrs={"stability": 1.5},
                                 due=due, last_rating=None)
    select = Select(CardState, None, "{user} = %s AND {due} < %s", ["user", "due"],
                    suffix="ORDER BY {due}, {id}")
    fast = select.instances(alice.pk, timezone.now())
    slow = list(CardState.objects.filter(user=alice, due__lt=timezone.now()))
    assert [_fields(s) for s in fast] == [_fields(s) for s in slow]
    assert fast[0].due.tzinfo is not None and fast[0].fsrs == {"stability": 1.5}
    assert all(not s._state.adding for s in fast)
    assert select.instances(alice.pk, due - timedelta(days=1)) == []


@pytest.mark.django_db
def test_a_prebuilt_aggregate_and_upsert_store_and_count_like_the_orm(alice, course):
    attempt = Attempt.objects.create(user=alice, course_id="sample", item_id="m1-test",
                                     content_hash="h", number=1, seed="s")
    upsert = Insert(AttemptAnswer, ["attempt", "question_id", "given", "correct", "saved_at"],
                    conflict=["attempt", "question_id"], update=["given", "saved_at"])
    at = timezone.now()
    upsert.run_many([(attempt.pk, "q1", {"value": 1.0}, None, at),
                     (attempt.pk, "q2", {"options": ["a"]}, None, at)])
    upsert.run_many([(attempt.pk, "q1", {"value": 2.5}, None, at)])  # replaces, no new row
    stored = {a.question_id: a.given for a in AttemptAnswer.objects.filter(attempt=attempt)}
    assert stored == {"q1": {"value": 2.5}, "q2": {"options": ["a"]}}
    count = Aggregate(AttemptAnswer, ["COUNT(*)"], "{attempt} = %s", ["attempt"])
    assert count.value(attempt.pk) == 2


@pytest.mark.django_db
def test_a_prebuilt_insert_sends_the_save_signals_and_fills_auto_fields(alice):
    from django.db.models.signals import post_save, pre_save

    seen = []

    def pre(sender, instance, **kw):
        seen.append(("pre", instance.pk))

    def post(sender, instance, created, **kw):
        seen.append(("post", instance.pk, created))

    pre_save.connect(pre, sender=QuizAnswer)
    post_save.connect(post, sender=QuizAnswer)
    try:
        stored = Insert(QuizAnswer).create(QuizAnswer(
            user=alice, course_id="sample", item_id="m1-l1-quiz", question_id="q3",
            content_hash="h", given={"value": 0.5}, correct=False))
    finally:
        pre_save.disconnect(pre, sender=QuizAnswer)
        post_save.disconnect(post, sender=QuizAnswer)
    assert seen == [("pre", None), ("post", stored.pk, True)]
    again = QuizAnswer.objects.get(pk=stored.pk)
    assert _fields(again) == _fields(stored) and again.answered_at is not None


# --- sessions and the signed-in learner ---------------------------------------------------

@pytest.mark.django_db
def test_a_session_from_before_the_upgrade_keeps_its_learner_signed_in(alice):
    store = SessionStore()
    store[SESSION_KEY] = str(alice.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = alice.get_session_auth_hash()
    store.create()
    client = Client()
    client.cookies["sessionid"] = store.session_key
    page = client.get(reverse("progress:dashboard"))
    assert page.status_code == 200 and "alice" in page.content.decode()


@pytest.mark.django_db
def test_an_expired_or_unknown_session_is_nobody(alice_client, alice):
    key = alice_client.cookies["sessionid"].value
    assert SessionStore(key).get(SESSION_KEY) == str(alice.pk)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    assert alice_client.get(reverse("progress:dashboard")).status_code == 302  # to log in
    assert SessionStore("no-such-session-key-at-all").load() == {}


@pytest.mark.django_db
def test_a_deactivated_or_logged_out_learner_is_signed_out(alice_client, alice):
    assert alice_client.get(reverse("progress:dashboard")).status_code == 200
    alice.is_active = False
    alice.save()
    assert alice_client.get(reverse("progress:dashboard")).status_code == 302


# --- what each learner sees ----------------------------------------------------------------

@pytest.mark.django_db
def test_each_learner_sees_only_their_own_due_count_in_the_header(alice_client, bob_client,
                                                                   alice, bob):
    due = timezone.now() - timedelta(hours=1)
    for card in ("relu", "epoch"):
        CardState.objects.create(user=alice, course_id="sample", item_id="m2-cards",
                                 card_id=card, source="deck", fsrs={}, due=due)
    lesson = reverse("catalog:item", args=("sample", "m1-l1"))
    for client, expected in ((alice_client, "2"), (bob_client, None), (alice_client, "2")):
        header = re.search(r'id="review-link">Review(.*?)</a>',
                           client.get(lesson).content.decode(), re.S).group(1)
        badge = re.search(r'class="badge review-count"[^>]*>(\d+)<', header)
        assert (badge.group(1) if badge else None) == expected
    assert due_count(alice) == 2 and due_count(bob) == 0


@pytest.mark.django_db
def test_a_lesson_page_shows_each_learner_their_own_completion_and_predictions(
        alice_client, bob_client):
    lesson = reverse("catalog:item", args=("sample", "m1-l1"))
    alice_client.post(reverse("catalog:complete", args=("sample", "m1-l1")))
    page = alice_client.get(lesson).content.decode()
    predict = re.search(r'action="(/courses/sample/m1-l1/predict/\d+/)"', page)
    assert "Completed" in page and predict
    alice_client.post(predict.group(1), {"prediction": "alice guesses <b>7</b>"})
    mine = alice_client.get(lesson).content.decode()
    theirs = bob_client.get(lesson).content.decode()
    assert "alice guesses &lt;b&gt;7&lt;/b&gt;" in mine and "<b>7</b>" not in mine
    assert "alice guesses" not in theirs and "Completed" not in theirs


# --- quiz answers: state from a bounded read ------------------------------------------------

def _brute_force(rows: list[tuple[int, str, bool]], asked: set[str]
                 ) -> dict[str, quiz.QuestionState]:
    """The rules of quiz.py applied to the whole history, with no query tricks."""
    limit = quiz.WRONG_TRIES_BEFORE_REVEAL
    states = {}
    for qid in {qid for _, qid, _ in rows}:
        mine = sorted((pk, right) for pk, q, right in rows if q == qid)
        first_right = next((pk for pk, right in mine if right), None)
        states[qid] = quiz.QuestionState(
            tries=min(limit, len(mine)), wrong=min(limit, sum(not r for _, r in mine)),
            solved=first_right is not None,
            first_try_right=first_right is not None and first_right == mine[0][0]
            and qid not in asked, asked=qid in asked)
    for qid in asked - set(states):
        states[qid] = quiz.QuestionState(asked=True)
    return states


@pytest.mark.django_db
def test_question_states_follow_the_rules_for_any_history(alice, course):
    item = course.item("m1-l1-quiz")
    rng = random.Random(11)
    for _round in range(6):
        QuizAnswer.objects.filter(user=alice).delete()
        QuizReveal.objects.filter(user=alice).delete()
        for _ in range(rng.randrange(0, 12)):
            QuizAnswer.objects.create(user=alice, course_id="sample", item_id=item.id,
                                      question_id=rng.choice(["q1", "q2", "q3"]),
                                      content_hash="h", given={}, correct=rng.random() < 0.4)
        asked = set(rng.sample(["q1", "q2", "q3"], rng.randrange(0, 3)))
        for qid in asked:
            QuizReveal.objects.create(user=alice, course_id="sample", item_id=item.id,
                                      question_id=qid)
        rows = list(QuizAnswer.objects.filter(user=alice).values_list(
            "id", "question_id", "correct"))
        assert quiz.question_states(alice, course, item) == _brute_force(rows, asked)


# --- a constant, small number of queries ----------------------------------------------------

@pytest.mark.django_db
def test_an_autosave_reads_and_writes_in_a_handful_of_queries(alice_client):
    start = alice_client.post(reverse("assessments:start", args=("sample", "m1-test")))
    save = start["Location"] + "save/"
    alice_client.get(start["Location"])
    with CaptureQueriesContext(connection) as captured:
        reply = alice_client.post(save, {"shown": "q-q3", "q-q3": "44"}, **HTMX)
    assert reply.status_code == 200 and "<strong>1</strong> of 3" in reply.content.decode()
    statements = [q["sql"] for q in captured.captured_queries]
    # session, learner, attempt, lock, upsert, answered count (+ the transaction's own)
    work = [s for s in statements
            if not s.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(work) <= 6, statements
    attempt = Attempt.objects.get()
    assert AttemptAnswer.objects.get(attempt=attempt).given == {"value": 44.0}


@pytest.mark.django_db
def test_a_quiz_answer_is_stored_and_shown_in_a_handful_of_queries(alice_client, alice):
    with CaptureQueriesContext(connection) as captured:
        reply = alice_client.post(QUIZ_Q3, {"answer": "0.29"}, **HTMX)
    assert reply.status_code == 200 and "Right." in reply.content.decode()
    # session, learner, insert, "Show me" reveals, the questions' states
    assert len(captured.captured_queries) <= 5, [q["sql"] for q in captured.captured_queries]
    stored = QuizAnswer.objects.get(user=alice)
    assert stored.correct and stored.given == {"value": 0.29}
