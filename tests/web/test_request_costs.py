"""What a request costs must not grow with a learner's history or with the size of a
test, connections are kept between requests, and the lab partner's encoder is loaded
when a server process starts, not inside a learner's request. (Speed itself is measured
in benchmarks/web.py, never here.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buildreal.assessments import quiz
from buildreal.assessments.models import QuizAnswer
from buildreal.catalog.outline import item_states

from .conftest import HTMX

SAMPLE_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "sample-pack"


def _rows_read(queries: list[dict]) -> list[int]:
    """Run each captured SELECT again and count the rows it returns."""
    counts = []
    with connection.cursor() as cursor:
        for query in queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute(query["sql"])
                counts.append(len(cursor.fetchall()))
    return counts


@pytest.fixture
def long_history(alice):
    QuizAnswer.objects.bulk_create(
        QuizAnswer(user=alice, course_id="sample", item_id="m1-l1-quiz",
                   question_id=("q1", "q2", "q3")[i % 3], content_hash="h",
                   given={"value": 0.5}, correct=False) for i in range(90))


@pytest.mark.django_db
def test_answer_counts_and_states_read_one_row_per_question_however_long_the_history(
        alice, course, long_history):
    item = course.item("m1-l1-quiz")
    with CaptureQueriesContext(connection) as captured:
        assert quiz.answered_count(alice, course, item) == 3
        assert item_states(alice, course)["m1-l1-quiz"] == "in-progress"
        assert set(quiz.latest_answers(alice, course, item)) == {"q1", "q2", "q3"}
    assert max(_rows_read(captured.captured_queries)) <= 3  # not 90


@pytest.mark.django_db
def test_the_latest_answer_per_question_is_the_newest(alice_client, alice, course,
                                                      long_history):
    url = reverse("assessments:quiz-answer", args=("sample", "m1-l1-quiz", "q3"))
    alice_client.post(url, {"answer": "0.29"}, **HTMX)
    latest = quiz.latest_answers(alice, course, course.item("m1-l1-quiz"))
    assert latest["q3"].given == {"value": 0.29} and latest["q3"].correct


@pytest.mark.django_db
def test_an_autosave_costs_the_same_queries_however_many_questions_or_answers(
        alice_client):
    start = alice_client.post(reverse("assessments:start", args=("sample", "m1-test")))
    save = start["Location"] + "save/"
    page = alice_client.get(start["Location"]).content.decode()
    first = re.search(r'name="q-q1" value="(o\d+)"', page).group(1)
    second = re.search(r'name="q-q2" value="(o\d+)"', page).group(1)
    sheets = [{"shown": "q-q3", "q-q3": "44"},
              {"shown": ["q-q1", "q-q2", "q-q3"], "q-q1": first, "q-q2": second,
               "q-q3": "45"},
              {"shown": "q-q3", "q-q3": "46"}]  # with answers already stored
    counts = []
    for sheet in sheets:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.post(save, sheet, **HTMX).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_database_connections_are_kept_between_requests():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60


def test_a_server_process_loads_the_encoder_before_serving(tmp_path):
    from buildreal.tutor import embedder

    if not embedder.available():
        pytest.fail("the packaged sentence encoder is missing: run scripts/setup.sh")
    (tmp_path / "courses").mkdir()
    os.symlink(SAMPLE_PACK, tmp_path / "courses" / "sample-pack")
    code = ("import buildreal.web.wsgi\n"
            "from buildreal.tutor import embedder\n"
            "print('loaded' if embedder._model is not None else 'not loaded')\n")
    environ = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "PYTEST_CURRENT_TEST")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
        env={**environ, "DJANGO_SETTINGS_MODULE": "buildreal.web.settings",
             "BUILDREAL_DATA_DIR": str(tmp_path / "data"),
             "BUILDREAL_COURSES_DIR": str(tmp_path / "courses"),
             "BUILDREAL_TUTOR_MATCHER": "embedding"})
    assert result.stdout.strip().endswith("loaded") and "not loaded" not in result.stdout, \
        result.stderr[-2000:]


def test_url_tags_reverse_each_distinct_url_once_per_process(monkeypatch):
    from django.template import Context, Template
    from django.urls import NoReverseMatch

    from buildreal.web.templatetags import cachedurls

    calls: list[str] = []
    real = cachedurls.reverse
    monkeypatch.setattr(cachedurls, "reverse",
                        lambda name, **kw: calls.append(name) or real(name, **kw))
    cachedurls._reverse.cache_clear()
    page = Template("{% url 'catalog:item' course item %}|{% url 'catalog:index' as home %}"
                    "{{ home }}")
    for _ in range(3):
        html = page.render(Context({"course": "sample", "item": "m1-l1"}))
        assert html == reverse("catalog:item", args=("sample", "m1-l1")) + "|/"
    assert sorted(calls) == ["catalog:index", "catalog:item"]  # once each, not three times
    with pytest.raises(NoReverseMatch):
        Template("{% url 'catalog:no-such-view' %}").render(Context())


@pytest.mark.django_db
def test_a_quiz_answer_costs_the_same_queries_with_a_short_or_long_history(
        alice_client, bob_client, alice, bob, long_history):
    QuizAnswer.objects.bulk_create(  # Bob has answered each question once, Alice 30 times
        QuizAnswer(user=bob, course_id="sample", item_id="m1-l1-quiz", question_id=qid,
                   content_hash="h", given={"value": 0.5}, correct=False)
        for qid in ("q1", "q2", "q3"))
    url = reverse("assessments:quiz-answer", args=("sample", "m1-l1-quiz", "q3"))
    counts = []
    for client in (bob_client, alice_client):
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, {"answer": "0.29"}, **HTMX).status_code == 200
        counts.append(len(captured.captured_queries))
        reads = [q for q in captured.captured_queries if q["sql"].lstrip().startswith(
            "SELECT") and "assessments_quizanswer" in q["sql"]]
        # the counts, the completion check and the question's state come from one read
        assert len(reads) == 1, [q["sql"] for q in reads]
    assert counts[0] == counts[1], counts
