"""Lockouts and rate limits that one address cannot turn against a class: failures are
counted per account and real client address (X-Forwarded-For only from the proxies in
BUILDREAL_TRUSTED_PROXIES), a lockout ends after its cool-off, and sign-ups per address
are limited."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from buildreal.accounts.clientip import client_ip

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def fast_hashes_and_a_proxy(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BUILDREAL_TRUSTED_PROXIES = (ipaddress.ip_network(f"{PROXY}/32"),)


@pytest.fixture
def instructor_account(db):
    return get_user_model().objects.create_user("ines", password=PASSWORD, is_staff=True)


def via_proxy(address: str) -> Client:
    """A browser at ``address`` reaching the site through the trusted proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_many_failures_behind_the_proxy_do_not_lock_out_a_bystander(instructor_account):
    attacker = via_proxy("203.0.113.5")
    for number in range(25):
        log_in(attacker, f"guess{number}", "wrong password")
    assert log_in(attacker, "ines", PASSWORD).status_code == 429  # the sprayer is stopped
    assert log_in(via_proxy("198.51.100.7"), "ines", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_on_a_named_account_lock_only_the_attackers_address(instructor_account):
    attacker = via_proxy("203.0.113.5")
    for _ in range(4):
        assert log_in(attacker, "ines", "wrong password").status_code == 400
    assert log_in(attacker, "ines", "wrong password").status_code == 429  # the fifth locks
    assert log_in(attacker, "ines", PASSWORD).status_code == 429
    assert log_in(via_proxy("198.51.100.7"), "ines", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_forwarded_for_from_an_untrusted_peer_is_ignored(instructor_account):
    for number in range(5):  # a new made-up address each time, sent straight to the app
        log_in(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"),
               "ines", "wrong password")
    spoofer = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert log_in(spoofer, "ines", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_lockout_ends_after_its_cool_off(instructor_account, settings):
    attacker = via_proxy("203.0.113.5")
    for _ in range(5):
        log_in(attacker, "ines", "wrong password")
    assert log_in(attacker, "ines", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time
                                 - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert log_in(attacker, "ines", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_case_and_width_variants_of_a_username_share_one_count(instructor_account):
    client = Client()
    for name in ("INES", "Ines", "ｉｎｅｓ", "ines ", "iNeS"):
        log_in(client, name.strip(), "wrong password")
    assert log_in(client, "ines", PASSWORD).status_code == 429


def test_the_client_address_is_the_first_untrusted_hop_from_the_right(settings):
    settings.BUILDREAL_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    factory = RequestFactory()
    chain = factory.get("/", REMOTE_ADDR="10.0.0.1",
                        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.2")
    assert client_ip(chain) == "198.51.100.7"  # 1.2.3.4 was written by the client itself
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1",
                                 HTTP_X_FORWARDED_FOR="garbage, 10.0.0.2")) == "10.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="198.51.100.9",
                                 HTTP_X_FORWARDED_FOR="1.2.3.4")) == "198.51.100.9"


def test_a_bad_trusted_proxy_value_stops_the_start_with_its_name(monkeypatch):
    from buildreal.web.env import env_networks

    monkeypatch.setenv("BUILDREAL_TRUSTED_PROXIES", "10.0.0.1, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match="BUILDREAL_TRUSTED_PROXIES: 'proxy.internal'"):
        env_networks("BUILDREAL_TRUSTED_PROXIES")


@pytest.mark.django_db
def test_sign_ups_per_address_are_limited_with_a_clear_message(settings):
    settings.BUILDREAL_SIGNUPS_PER_ADDRESS_PER_HOUR = 2

    def sign_up(client: Client, name: str):
        return client.post(reverse("accounts:signup"), {
            "username": name, "password1": PASSWORD, "password2": PASSWORD})

    for name in ("dora", "emil"):
        assert sign_up(via_proxy("203.0.113.5"), name).status_code == 302
    refused = sign_up(via_proxy("203.0.113.5"), "fred")
    assert refused.status_code == 429
    assert "Too many accounts were created from your address" in refused.content.decode()
    assert not get_user_model().objects.filter(username="fred").exists()
    assert sign_up(via_proxy("198.51.100.7"), "fred").status_code == 302


@pytest.mark.django_db
def test_guesses_spread_over_many_addresses_lock_the_account_except_where_it_logged_in(
        instructor_account, settings):
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 6
    home = via_proxy("198.51.100.7")
    assert log_in(home, "ines", PASSWORD).status_code == 302  # this address proved it
    for number in range(3):  # two guesses each from three addresses: no pair is locked
        for _ in range(2):
            log_in(via_proxy(f"203.0.113.{number}"), "ines", "wrong password")
    refused = log_in(via_proxy("192.0.2.44"), "ines", PASSWORD)
    assert refused.status_code == 429
    assert "after many failed log-ins from several addresses" in refused.content.decode()
    assert log_in(via_proxy("198.51.100.7"), "ines", PASSWORD).status_code == 302
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time
                                 - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert log_in(via_proxy("192.0.2.44"), "ines", PASSWORD).status_code == 302
