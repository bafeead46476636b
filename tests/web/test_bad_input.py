"""Bad environments and bad input get a clear answer: NUL characters and oversized forms
are refused before any view runs (on SQLite and PostgreSQL alike), overlong lab messages
are not echoed back, a full disk shows "not saved", an unwritable data folder stops the
start, and usernames that look like someone else's are refused."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, OperationalError
from django.urls import reverse

from buildreal.assessments.models import AttemptAnswer, QuizAnswer
from buildreal.labs import services
from buildreal.labs.models import LabSession
from buildreal.web import env

from .conftest import HTMX

LAB_TURN = reverse("labs:turn", args=("sample", "m1-l1-lab"))
PASSWORD = "correct horse battery staple"
NUL_TEXT = "Your input contains a NUL character"


@pytest.fixture(autouse=True)
def words_only_partner(monkeypatch, settings):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.delenv("BUILDREAL_LLM_URL", raising=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    services.reset_engine()
    yield
    services.reset_engine()


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [{}, HTMX], ids=["plain", "htmx"])
def test_a_lab_message_with_a_nul_byte_is_refused_and_nothing_is_stored(alice_client,
                                                                        extra):
    response = alice_client.post(LAB_TURN, {"message": "gradient boosting\x00 wins"}, **extra)
    assert response.status_code == 400
    assert NUL_TEXT in response.content.decode()
    assert not LabSession.objects.exists()


@pytest.mark.django_db
def test_nul_bytes_are_refused_in_every_form_and_query(client, alice_client):
    signup = client.post(reverse("accounts:signup"), {
        "username": "eve\x00", "password1": PASSWORD, "password2": PASSWORD})
    assert signup.status_code == 400 and NUL_TEXT in signup.content.decode()
    assert not get_user_model().objects.filter(username__startswith="eve").exists()
    quiz = alice_client.post(reverse("assessments:quiz-answer",
                                     args=("sample", "m1-l1-quiz", "q3")), {"answer": "0.2\x009"})
    assert quiz.status_code == 400 and not QuizAnswer.objects.exists()
    start = alice_client.post(reverse("assessments:start", args=("sample", "m1-test")))
    saved = alice_client.post(start["Location"] + "save/", {"shown": "q-q3", "q-q3": "4\x004"})
    assert saved.status_code == 400 and not AttemptAnswer.objects.exists()
    assert client.get("/courses/sample/?again=q1%00").status_code == 400
    assert alice_client.post(LAB_TURN, {"mess\x00age": "hello"}).status_code == 400


@pytest.mark.django_db
def test_an_overlong_lab_message_gets_the_limit_under_the_box_and_is_not_echoed(alice_client):
    megabyte = "word " * 200_000
    response = alice_client.post(LAB_TURN, {"message": megabyte}, **HTMX)
    body = response.content.decode()
    assert f"Keep a message under {services.MAX_MESSAGE_CHARS} characters" in body
    assert 'id="lab-error"' in body and len(body) < 20_000  # the draft is cut to the limit
    assert f'maxlength="{services.MAX_MESSAGE_CHARS}"' in body


@pytest.mark.django_db
def test_a_message_too_large_to_read_gets_a_clear_413(alice_client):
    response = alice_client.post(LAB_TURN, {"message": "x" * 3_000_000})
    assert response.status_code == 413
    assert "Lab messages take up to 2,000 characters" in response.content.decode()


@pytest.mark.django_db
def test_a_save_on_a_full_disk_says_it_was_not_saved_and_logs_why(alice_client, monkeypatch,
                                                                  caplog):
    from buildreal.assessments import attempts

    start = alice_client.post(reverse("assessments:start", args=("sample", "m1-test")))

    def full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(attempts, "save", full)
    with caplog.at_level(logging.ERROR, logger="buildreal.web"):
        response = alice_client.post(start["Location"] + "save/", {"shown": "q-q3",
                                                                   "q-q3": "44"})
    assert response.status_code == 507
    assert "Your last change was not saved" in response.content.decode()
    assert "Try again" in response.content.decode()
    assert "storage is full" in caplog.text and "database or disk is full" in caplog.text


def test_a_data_folder_that_cannot_be_written_is_refused_with_a_reason():
    with pytest.raises(ImproperlyConfigured, match="/proc is not writable by this user"):
        env.ensure_data_dir(Path("/proc"))


def test_the_site_does_not_start_on_an_unwritable_data_folder():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='buildreal.web.settings'; " \
           "from django.conf import settings; settings.DEBUG"
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**environ, "BUILDREAL_DATA_DIR": "/proc"}, timeout=60)
    assert result.returncode != 0
    assert "the data folder /proc is not writable" in result.stderr
    assert "BUILDREAL_DATA_DIR" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("lookalike", ["CAROL", "Carol", "\uff43\uff41\uff52\uff4f\uff4c",
                                       "\u0441arol", "c\u0430rol"])
def test_a_username_that_looks_like_an_existing_one_is_refused(client, lookalike):
    get_user_model().objects.create_user("carol", password=None)
    response = client.post(reverse("accounts:signup"), {
        "username": lookalike, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert "looks the same as one that is" in page or "different alphabets" in page
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_look_alike_letters_and_digits_count_as_the_same_name(client):
    get_user_model().objects.create_user("Ines", password=None)
    for lookalike in ("lnes", "1nes"):
        response = client.post(reverse("accounts:signup"), {
            "username": lookalike, "password1": PASSWORD, "password2": PASSWORD})
        assert "looks the same as one that is" in response.content.decode()
    ok = client.post(reverse("accounts:signup"), {
        "username": "inez", "password1": PASSWORD, "password2": PASSWORD})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_the_database_refuses_a_look_alike_made_outside_the_form():
    get_user_model().objects.create_user("carol", password=None)
    with pytest.raises(IntegrityError):
        get_user_model().objects.create_user("CAROL", password=None)
