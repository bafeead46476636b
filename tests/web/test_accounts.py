"""Sign up, log in, log out, log-in rate limiting, and who needs an account for what."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

PASSWORD = "correct horse battery staple"


@pytest.fixture
def carol(db):
    return get_user_model().objects.create_user("carol", password=PASSWORD)


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(reverse("accounts:login"),
                       {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_sign_up_creates_an_argon2_hashed_account_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), {
        "username": "dora", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    user = get_user_model().objects.get(username="dora")
    assert user.password.startswith("argon2$")
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_sign_up_rejects_a_weak_password_with_a_reason(client):
    response = client.post(reverse("accounts:signup"), {
        "username": "dora", "password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.filter(username="dora").exists()


@pytest.mark.django_db
def test_log_in_returns_to_the_page_asked_for(client, carol):
    response = client.post(reverse("accounts:login"), {
        "username": "carol", "password": PASSWORD, "next": "/courses/sample/"})
    assert response.status_code == 302 and response["Location"] == "/courses/sample/"


@pytest.mark.django_db
def test_log_in_ignores_a_next_url_on_another_site(client, carol):
    response = client.post(reverse("accounts:login"), {
        "username": "carol", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"


@pytest.mark.django_db
def test_wrong_password_is_refused_and_counted(client, carol):
    response = log_in(client, "carol", "nope nope nope")
    assert response.status_code == 400
    assert "Please enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get(username="carol").failures_since_start == 1


@pytest.mark.django_db
def test_five_failures_lock_the_account_from_that_address_with_a_clear_message(client, carol):
    for _ in range(5):
        log_in(client, "carol", "wrong password here")
    locked = log_in(client, "carol", PASSWORD)  # even the right password waits
    assert locked.status_code == 429
    assert "Too many failed log-ins for this account from your address" in \
        locked.content.decode()
    assert "Try again in 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_address(client, carol):
    for _ in range(5):
        log_in(client, "carol", "wrong password here")
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert log_in(other, "carol", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_log_in_clears_earlier_failures(client, carol):
    for _ in range(3):
        log_in(client, "carol", "wrong password here")
    assert log_in(client, "carol", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="carol", failures_since_start__gt=0
                                            ).exists()


@pytest.mark.django_db
def test_log_out_needs_a_post(alice_client):
    assert alice_client.get(reverse("accounts:logout")).status_code == 405
    assert alice_client.post(reverse("accounts:logout")).status_code == 302
    assert alice_client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_dashboard_needs_an_account(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


@pytest.mark.django_db
def test_admin_login_goes_through_the_rate_limited_form(client, alice_client, carol):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # Not even a signed-in learner can post passwords to the admin's own form.
    posted = alice_client.post("/admin/login/", {"username": "carol", "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/")
    assert alice_client.get("/dashboard/").context["user"].username == "alice"


@pytest.mark.django_db
def test_staff_reach_the_admin_after_logging_in(client):
    get_user_model().objects.create_user("root", password=PASSWORD, is_staff=True,
                                         is_superuser=True)
    response = client.post("/accounts/login/", {"username": "root", "password": PASSWORD,
                                                "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_slowed_down(client, carol, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    for number in range(8):
        assert log_in(client, f"guess{number}", "wrong password here").status_code == 400
    refused = log_in(client, "carol", PASSWORD)  # a fresh username, the right password
    assert refused.status_code == 429
    assert "Too many failed log-ins from your address" in refused.content.decode()
    assert "for this account" not in refused.content.decode()  # it is the address
    assert "_auth_user_id" not in client.session
    assert log_in(Client(REMOTE_ADDR="10.0.0.9"), "carol", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_ended_session_logs_in_again_and_returns_to_the_quiz_page(client, carol):
    answer = "/courses/sample/m1-l1-quiz/questions/q1/answer/"
    quiz = "http://testserver/courses/sample/m1-l1-quiz/"
    plain = client.post(answer, {"answer": "o1"}, HTTP_REFERER=quiz)
    assert plain.status_code == 302
    assert plain["Location"] == "/accounts/login/?next=%2Fcourses%2Fsample%2Fm1-l1-quiz%2F"
    htmx = client.post(answer, {"answer": "o1"}, HTTP_HX_REQUEST="true",
                       HTTP_HX_CURRENT_URL=quiz)
    assert htmx.status_code == 401  # nothing to swap into the question
    assert htmx["HX-Redirect"] == plain["Location"]
    back = client.post(plain["Location"], {"username": "carol", "password": PASSWORD})
    assert back["Location"] == "/courses/sample/m1-l1-quiz/"


@pytest.mark.django_db
def test_a_log_in_redirect_never_returns_to_another_site(client):
    response = client.post("/courses/sample/m1-l1/complete/",
                           HTTP_REFERER="https://evil.example/phish/")
    assert response["Location"] == "/accounts/login/?next=/courses/sample/m1-l1/complete/"
    assert client.get("/dashboard/")["Location"] == "/accounts/login/?next=/dashboard/"
