"""Per-learner limits in the labs: turns per minute, restarts per hour, and a daily budget
of LLM calls after which the offline partner phrases the replies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from buildreal.labs import services
from buildreal.labs.models import LabSession
from buildreal.tutor import Engine, default_matcher

LAB = ("sample", "m1-l1-lab")


class CountingLLM:
    """A stand-in LLM backend that says who phrased the reply and counts its calls."""

    name = "llm"

    def __init__(self) -> None:
        self.calls = 0

    def stream(self, request) -> Iterator[str]:
        self.calls += 1
        yield "LLM says: " + request.draft


@pytest.fixture(autouse=True)
def words_only_partner(monkeypatch):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.delenv("BUILDREAL_LLM_URL", raising=False)
    services.reset_engine()
    yield
    services.reset_engine()


def say(client, text: str):
    return client.post(reverse("labs:turn", args=LAB), {"message": text})


@pytest.mark.django_db
def test_turns_faster_than_the_limit_are_refused_and_not_saved(alice_client, alice, settings):
    settings.BUILDREAL_LAB_TURNS_PER_MINUTE = 2
    assert say(alice_client, "It depends on the data.").status_code == 302
    assert say(alice_client, "How many rows are there?").status_code == 302
    refused = say(alice_client, "And how many features?")
    assert refused.status_code == 429
    assert "more messages than your partner can read in a minute" in refused.content.decode()
    assert len(LabSession.objects.get(user=alice).transcript) == 5  # opening + 2 exchanges


@pytest.mark.django_db
def test_restarts_past_the_hourly_limit_are_refused_with_a_message(alice_client, alice,
                                                                   settings):
    settings.BUILDREAL_LAB_RESTARTS_PER_HOUR = 2
    url = reverse("labs:restart", args=LAB)
    for _ in range(2):
        alice_client.post(url)
    response = alice_client.post(url, follow=True)
    assert LabSession.objects.filter(user=alice).count() == 2
    assert "You have restarted labs 2 times in the last hour" in response.content.decode()


@pytest.mark.django_db
def test_past_the_daily_llm_budget_the_offline_partner_replies(alice_client, alice,
                                                               settings, monkeypatch):
    settings.BUILDREAL_LLM_CALLS_PER_DAY = 2
    llm = CountingLLM()
    monkeypatch.setattr(services, "_engine",
                        Engine(matcher=default_matcher(), backend=llm))
    for text in ("It depends on the data.", "How many rows are there?",
                 "And how many features?"):
        assert say(alice_client, text).status_code == 302
    replies = [t["text"] for t in LabSession.objects.get(user=alice).transcript
               if t["role"] == "partner"][1:]
    assert llm.calls == 2
    assert [r.startswith("LLM says: ") for r in replies] == [True, True, False]
