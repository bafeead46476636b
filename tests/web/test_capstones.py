"""The capstone exchange: writing with autosave, pairing within a cohort, objections,
responses, revision with a diff, completion with XP once, the lab partner after the
wait, instructors' tools, and privacy (everything not yours is a 404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buildreal.capstones import services
from buildreal.capstones.models import Brief, Grade, Objection, Response
from buildreal.progress.models import Completion
from buildreal.teaching.models import Cohort

from .conftest import HTMX

PAGE = reverse("catalog:item", args=("sample", "m2-capstone"))
SAVE = reverse("capstones:save", args=("sample", "m2-capstone"))
SUBMIT = reverse("capstones:submit", args=("sample", "m2-capstone"))
REVISE = reverse("capstones:revise", args=("sample", "m2-capstone"))

BRIEF = """# Model
A small CNN trained from scratch, four convolution layers.

# Data split
We hold out a validation set and a test set, photographed on different days, kept apart
from training.

# Learning rate
Start at 0.01 and run a short range test.

# Stopping rule
Train for 50 epochs.
"""


@pytest.fixture(autouse=True)
def lexical_partner(monkeypatch):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.delenv("BUILDREAL_LLM_URL", raising=False)


def learner(name: str) -> tuple[object, Client]:
    user = get_user_model().objects.create_user(name, password=None)
    client = Client()
    client.force_login(user)
    return user, client


def brief_of(user) -> Brief:
    return Brief.objects.get(user=user)


def submitted(client: Client, text: str = BRIEF) -> None:
    assert client.post(SUBMIT, {"text": text}).status_code == 302


def send_objections(client: Client, target: Brief, first: str = "Data split") -> None:
    response = client.post(reverse("capstones:object", args=[target.pk]), {
        "part-1": first, "text-1": "Photos from one phone only: the test set shares its lights.",
        "part-2": "Model", "text-2": "Training from scratch on 1,500 photos will overfit."})
    assert response.status_code == 302, response.content.decode()[:500]


def respond_all(client: Client, brief: Brief, text: str) -> None:
    for objection in services.received(brief):
        assert client.post(reverse("capstones:respond", args=[objection.pk]),
                           {"text": text}).status_code == 302


@pytest.mark.django_db
def test_autosave_keeps_the_draft_and_returns_words_and_a_safe_preview(alice_client, alice):
    response = alice_client.post(SAVE, {"text": "# Model\nA tiny <script>x()</script> net"},
                                 **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "7 words" in page and "Saved" in page
    assert "<script>x()" not in page and "&lt;script&gt;" in page
    assert brief_of(alice).draft.startswith("# Model")


@pytest.mark.django_db
@pytest.mark.parametrize("text,message", [
    ("# Model\nnul \x00 here", "NUL character"),
    ("x" * 20_001, "the limit is 20,000"),
])
def test_autosave_refuses_nul_bytes_and_over_long_text_with_a_clear_message(
        alice_client, alice, text, message):
    response = alice_client.post(SAVE, {"text": text}, **HTMX)
    assert message in response.content.decode()
    assert not Brief.objects.filter(user=alice).exclude(draft="").exists()


@pytest.mark.django_db
def test_the_editor_shows_the_required_sections_as_a_checklist(alice_client):
    alice_client.post(SAVE, {"text": "# Model\n\ntext\n\n## data split:\n"}, **HTMX)
    page = alice_client.get(PAGE).content.decode()
    assert 'data-section="Model" class="found"' in page
    assert 'data-section="Data split" class="found"' in page
    assert 'data-section="Stopping rule" class=""' in page


@pytest.mark.django_db
def test_submitting_without_a_required_section_names_the_missing_ones(alice_client, alice):
    response = alice_client.post(SUBMIT, {"text": "# Model\nA CNN."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "missing: Data split, Learning rate, Stopping rule" in page
    assert brief_of(alice).submitted_at is None and brief_of(alice).draft == "# Model\nA CNN."


@pytest.mark.django_db
def test_submitting_needs_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(SUBMIT, {"text": BRIEF}).status_code == 403


@pytest.mark.django_db
def test_two_learners_are_paired_under_pseudonyms(db):
    alice, alice_client = learner("alice")
    bob, bob_client = learner("bob")
    submitted(alice_client)
    assert brief_of(alice).partner is None
    submitted(bob_client)

    a, b = brief_of(alice), brief_of(bob)
    assert a.partner_id == b.pk and b.partner_id == a.pk
    page = bob_client.get(PAGE).content.decode()
    assert a.pseudonym in page and "alice" not in page
    partner_page = bob_client.get(reverse("capstones:brief", args=[a.pk])).content.decode()
    assert "four convolution layers" in partner_page and "alice" not in partner_page


@pytest.mark.django_db
def test_pairing_stays_within_a_cohort(instructor):
    alice, alice_client = learner("alice")
    carol, carol_client = learner("carol")
    dave, dave_client = learner("dave")
    cohort = Cohort.objects.create(name="Spring", instructor=instructor)
    cohort.learners.add(alice, dave)
    submitted(alice_client)
    submitted(carol_client)  # no cohort: not paired with alice
    assert brief_of(alice).partner is None and brief_of(carol).partner is None
    submitted(dave_client)
    assert brief_of(dave).partner_id == brief_of(alice).pk


@pytest.mark.django_db
def test_a_whole_exchange_completes_once_with_xp_and_a_readable_diff(db, course):
    alice, alice_client = learner("alice")
    bob, bob_client = learner("bob")
    submitted(alice_client)
    submitted(bob_client)
    a, b = brief_of(alice), brief_of(bob)
    send_objections(alice_client, b)
    send_objections(bob_client, a, first="Stopping rule")

    page = alice_client.get(PAGE).content.decode()
    assert "disputes: <strong>Stopping rule</strong>" in page
    respond_all(alice_client, a, "I will fine-tune a pretrained network and stop early.")
    assert alice_client.post(REVISE, {"text": BRIEF.replace(
        "Train for 50 epochs.", "Stop at the best validation epoch.")}).status_code == 302

    assert Completion.objects.filter(user=alice, item_id="m2-capstone").count() == 1
    page = alice_client.get(PAGE).content.decode()
    assert "Exchange complete" in page
    assert "<del>Train for 50 epochs.</del>" in page
    assert "<ins>Stop at the best validation epoch.</ins>" in page
    again = alice_client.post(REVISE, {"text": BRIEF})
    assert again.status_code == 400
    assert Completion.objects.filter(user=alice).count() == 1
    assert Completion.objects.get(user=alice).xp == course.item("m2-capstone").xp


@pytest.mark.django_db
def test_revision_waits_until_every_objection_is_answered(db):
    alice, alice_client = learner("alice")
    bob, bob_client = learner("bob")
    submitted(alice_client)
    submitted(bob_client)
    send_objections(bob_client, brief_of(alice))
    response = alice_client.post(REVISE, {"text": BRIEF + "\nMore."})
    assert response.status_code == 400
    assert "Answer every objection before revising" in response.content.decode()


@pytest.mark.django_db
def test_objections_need_a_part_and_text_each(db):
    alice, alice_client = learner("alice")
    bob, bob_client = learner("bob")
    submitted(alice_client)
    submitted(bob_client)
    url = reverse("capstones:object", args=[brief_of(alice).pk])
    response = bob_client.post(url, {"part-1": "", "text-1": "Vague.", "part-2": "Model",
                                      "text-2": "Fine."})
    assert response.status_code == 400
    assert "part disputed by objection 1 is empty" in response.content.decode()
    response = bob_client.post(url, {"part-1": "Model", "text-1": "x\x00", "part-2": "Model",
                                      "text-2": "y" * 2001})
    assert response.status_code == 400 and "NUL character" in response.content.decode()
    response = bob_client.post(url, {"part-1": "Model", "text-1": "x", "part-2": "Model",
                                      "text-2": "y" * 2001})
    assert response.status_code == 400
    assert "objection 2 is 2,001 characters long; the limit is 2,000" in \
        response.content.decode()
    assert Objection.objects.count() == 0


@pytest.mark.django_db
def test_learner_text_is_escaped_wherever_it_is_shown(db):
    alice, alice_client = learner("alice")
    bob, bob_client = learner("bob")
    submitted(alice_client, BRIEF + "\n<img src=x onerror=alert(1)>")
    submitted(bob_client)
    a = brief_of(alice)
    bob_client.post(reverse("capstones:object", args=[a.pk]), {
        "part-1": "<b>Model</b>", "text-1": "<script>alert(1)</script>",
        "part-2": "Model", "text-2": "fine"})
    page = alice_client.get(PAGE).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<b>Model</b>" not in page and "<img src=x" not in page


@pytest.mark.django_db
def test_with_no_peer_the_lab_partner_objects_after_the_wait_and_reads_responses(
        alice_client, alice, monkeypatch):
    submitted(alice_client)
    page = alice_client.get(PAGE).content.decode()
    assert 'id="waiting"' in page and brief_of(alice).lab_partner is False

    later = brief_of(alice).submitted_at + timedelta(hours=24, seconds=1)
    monkeypatch.setattr(services, "now", lambda: later)
    page = alice_client.get(PAGE).content.decode()
    a = brief_of(alice)
    assert a.lab_partner and "the lab partner" in page
    raised = list(services.received(a))
    # The brief covers the split well and misses pretraining and early stopping.
    assert sorted(o.concept_id for o in raised) == ["stopping", "transfer"]
    assert {o.part for o in raised} == {"Model", "Stopping rule"}

    by_concept = {o.concept_id: o for o in raised}
    alice_client.post(reverse("capstones:respond", args=[by_concept["transfer"].pk]),
                      {"text": "I will fine-tune a pretrained network: transfer learning "
                               "suits 1,500 photos."})
    alice_client.post(reverse("capstones:respond", args=[by_concept["stopping"].pk]),
                      {"text": "Fifty epochs is plenty."})
    page = alice_client.get(PAGE).content.decode()
    assert "your response answers this objection" in page
    assert "your response does not answer this objection yet" in page

    alice_client.post(REVISE, {"text": BRIEF + "\nFine-tune a pretrained model."})
    assert Completion.objects.filter(user=alice, item_id="m2-capstone").exists()


@pytest.mark.django_db
def test_an_instructor_ends_the_wait_hides_an_objection_reassigns_and_grades(instructor):
    alice, alice_client = learner("alice")
    bob, bob_client = learner("bob")
    carol, carol_client = learner("carol")
    cohort = Cohort.objects.create(name="Spring", instructor=instructor)
    cohort.learners.add(alice, bob, carol)
    teacher = Client()
    teacher.force_login(instructor)

    submitted(alice_client)
    a = brief_of(alice)
    teacher.post(reverse("capstones:end-wait", args=[a.pk]))
    a.refresh_from_db()
    assert a.lab_partner and services.received(a).count() == 2

    submitted(bob_client)
    submitted(carol_client)
    b, c = brief_of(bob), brief_of(carol)
    assert b.partner_id == c.pk
    send_objections(carol_client, b)
    abusive = Objection.objects.filter(brief=b, author=carol).first()
    teacher.post(reverse("capstones:hide", args=[abusive.pk]))
    assert abusive.pk not in set(services.received(b).values_list("pk", flat=True))
    assert abusive.text not in bob_client.get(PAGE).content.decode()

    teacher.post(reverse("capstones:reassign", args=[b.pk]), {"partner": a.pk})
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert (a.partner_id, b.partner_id, c.partner_id) == (b.pk, a.pk, None)

    cohorts = teacher.get(reverse("teaching:cohorts")).content.decode()
    assert reverse("capstones:teaching") in cohorts
    listing = teacher.get(reverse("capstones:teaching")).content.decode()
    assert all(name in listing for name in ("alice", "bob", "carol"))
    response = teacher.post(reverse("capstones:grade", args=[a.pk]), {
        "score-transfer": "0", "score-split": "2", "score-stopping": "1", "comment": "Good."})
    assert response.status_code == 302
    assert Grade.objects.get(brief=a).scores == {"transfer": 0, "split": 2, "stopping": 1}
    graded = alice_client.get(PAGE).content.decode()
    assert "<strong>An honest split</strong>: met (2/2)" in graded and "Good." in graded
    partial = teacher.post(reverse("capstones:grade", args=[a.pk]), {"score-split": "2"})
    assert partial.status_code == 400


@pytest.mark.django_db
def test_everything_outside_your_exchange_is_a_404_by_id(instructor):
    alice, alice_client = learner("alice")
    bob, bob_client = learner("bob")
    eve, eve_client = learner("eve")
    other_teacher = get_user_model().objects.create_user("olga", password=None,
                                                         is_staff=True)
    Cohort.objects.create(name="Other", instructor=other_teacher).learners.add(eve)
    submitted(alice_client)
    submitted(bob_client)
    a = brief_of(alice)
    send_objections(bob_client, a)
    objection = Objection.objects.filter(brief=a).first()
    olga = Client()
    olga.force_login(other_teacher)

    for client in (eve_client, olga):
        assert client.get(reverse("capstones:brief", args=[a.pk])).status_code == 404
        assert client.post(reverse("capstones:object", args=[a.pk]), {}).status_code == 404
        assert client.post(reverse("capstones:respond", args=[objection.pk]),
                           {"text": "x"}).status_code == 404
        for name in ("teaching-brief",):
            assert client.get(reverse(f"capstones:{name}", args=[a.pk])).status_code == 404
        for name in ("reassign", "end-wait", "grade"):
            assert client.post(reverse(f"capstones:{name}", args=[a.pk])).status_code == 404
        assert client.post(reverse("capstones:hide", args=[objection.pk])).status_code == 404
    # Partners read each other's brief, never each other's responses or objections.
    assert bob_client.post(reverse("capstones:respond", args=[objection.pk]),
                           {"text": "x"}).status_code == 404
    assert alice_client.get(reverse("capstones:teaching-brief", args=[a.pk])).status_code \
        == 404
    assert Response.objects.count() == 0 and not Objection.objects.get(pk=objection.pk).hidden


@pytest.mark.django_db
def test_a_visitor_sees_the_capstone_and_an_invitation_to_log_in(client):
    page = client.get(PAGE).content.decode()
    assert "Log in</a> to write your brief" in page
    assert client.post(SUBMIT, {"text": BRIEF}).status_code == 302
    assert Brief.objects.count() == 0
    assert timezone.now()  # the site's clock is untouched by this test
