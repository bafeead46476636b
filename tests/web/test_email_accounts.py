"""Address verification, password reset through Django's views, and the mail settings."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from buildreal.accounts.models import VerifiedEmail
from buildreal.web.env import EMAIL_BACKENDS, env_email

PASSWORD = "a long learner passphrase 42"
LINK = re.compile(r"http://testserver(/accounts/\S+/)")


def mailed_link(message: mail.EmailMessage) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def dana(db):
    return get_user_model().objects.create_user("dana", email="dana@example.org",
                                                password=PASSWORD)


def verify(client, user) -> None:
    client.force_login(user)
    client.post(reverse("accounts:account"), {"resend": "1"})
    link = mailed_link(mail.outbox[-1])
    client.post(link)


@pytest.mark.django_db
def test_sign_up_with_an_address_mails_a_link_that_verifies_it(client):
    response = client.post(reverse("accounts:signup"), {
        "username": "erin", "email": "erin@example.org",
        "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["erin@example.org"]
    link = mailed_link(mail.outbox[0])
    assert not VerifiedEmail.objects.exists()
    page = client.get(link).content.decode()
    assert "Confirm erin@example.org" in page
    assert not VerifiedEmail.objects.exists()  # opening the link alone verifies nothing
    client.post(link)
    assert VerifiedEmail.objects.get().email == "erin@example.org"
    account = client.get(reverse("accounts:account")).content.decode()
    assert "erin@example.org is confirmed" in account
    assert client.post(link).status_code == 400  # used once, the link stops working


@pytest.mark.django_db
def test_sign_up_without_an_address_sends_nothing(client):
    client.post(reverse("accounts:signup"), {
        "username": "fay", "password1": PASSWORD, "password2": PASSWORD})
    assert get_user_model().objects.filter(username="fay").exists()
    assert mail.outbox == []


def test_changing_the_address_needs_a_new_proof(client, dana):
    verify(client, dana)
    client.post(reverse("accounts:account"), {"email": "new@example.org"})
    page = client.get(reverse("accounts:account")).content.decode()
    assert "new@example.org is not confirmed yet" in page


def test_password_reset_mails_a_verified_address_and_the_link_sets_a_new_password(client, dana):
    verify(client, dana)
    client.logout()
    mail.outbox.clear()
    response = client.post(reverse("accounts:password-reset"), {"email": "dana@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Reset your buildreal password"
    link = mailed_link(mail.outbox[0])
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    new = "another learner passphrase 77"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == reverse("accounts:password-reset-complete")
    dana.refresh_from_db()
    assert dana.check_password(new)


def test_password_reset_sends_nothing_to_an_unverified_or_unknown_address(client, dana):
    for address in ("dana@example.org", "nobody@example.org"):
        response = client.post(reverse("accounts:password-reset"), {"email": address})
        assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []  # the same answer either way: no account enumeration


def test_a_forged_verification_link_is_refused(client, dana):
    assert client.get("/accounts/verify/Mg/abc-def/").status_code == 400
    assert not VerifiedEmail.objects.exists()


def test_log_in_page_links_to_password_reset(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password-reset") in page


def test_mail_goes_to_the_console_unless_a_host_is_set(monkeypatch):
    for name in ("BUILDREAL_EMAIL_HOST", "BUILDREAL_EMAIL_BACKEND", "BUILDREAL_EMAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    assert env_email()["EMAIL_BACKEND"] == EMAIL_BACKENDS["console"]
    monkeypatch.setenv("BUILDREAL_EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("BUILDREAL_EMAIL_PORT", "465")
    monkeypatch.setenv("BUILDREAL_EMAIL_SSL", "1")
    monkeypatch.setenv("BUILDREAL_EMAIL_TLS", "0")
    smtp = env_email()
    assert (smtp["EMAIL_BACKEND"], smtp["EMAIL_HOST"], smtp["EMAIL_PORT"],
            smtp["EMAIL_USE_SSL"], smtp["EMAIL_USE_TLS"]) == (
        EMAIL_BACKENDS["smtp"], "smtp.example.org", 465, True, False)


@pytest.mark.parametrize(("variables", "message"), [
    ({"BUILDREAL_EMAIL_BACKEND": "sendmail"}, "BUILDREAL_EMAIL_BACKEND='sendmail'"),
    ({"BUILDREAL_EMAIL_BACKEND": "smtp"}, "needs BUILDREAL_EMAIL_HOST"),
    ({"BUILDREAL_EMAIL_FROM": "noreply"}, "BUILDREAL_EMAIL_FROM='noreply'"),
    ({"BUILDREAL_EMAIL_HOST": "h", "BUILDREAL_EMAIL_PORT": "25x"}, "BUILDREAL_EMAIL_PORT"),
    ({"BUILDREAL_EMAIL_HOST": "h", "BUILDREAL_EMAIL_SSL": "1"}, "both on"),
])
def test_a_bad_mail_setting_stops_the_site_naming_the_variable(monkeypatch, variables, message):
    for name in ("BUILDREAL_EMAIL_HOST", "BUILDREAL_EMAIL_BACKEND", "BUILDREAL_EMAIL_FROM",
                 "BUILDREAL_EMAIL_SSL", "BUILDREAL_EMAIL_TLS", "BUILDREAL_EMAIL_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        env_email()
