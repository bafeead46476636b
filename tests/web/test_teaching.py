"""Who may see whose records: self, and an instructor for their own cohort only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from buildreal.teaching.access import can_view_learner
from buildreal.teaching.models import Cohort


@pytest.mark.django_db
def test_instructor_sees_learners_of_their_cohort_and_no_one_else(alice, bob, instructor):
    cohort = Cohort.objects.create(name="Autumn", instructor=instructor)
    cohort.learners.add(alice)
    assert can_view_learner(instructor, alice)
    assert not can_view_learner(instructor, bob)


@pytest.mark.django_db
def test_learner_sees_only_themselves(alice, bob):
    assert can_view_learner(alice, alice)
    assert not can_view_learner(alice, bob)
    assert not can_view_learner(AnonymousUser(), alice)


@pytest.mark.django_db
def test_staff_status_alone_grants_no_access(alice, instructor):
    assert not can_view_learner(instructor, alice)


@pytest.fixture
def autumn(alice, instructor):
    cohort = Cohort.objects.create(name="Autumn", instructor=instructor)
    cohort.learners.add(alice)
    return cohort


@pytest.fixture
def instructor_client(instructor) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


@pytest.mark.django_db
def test_instructor_sees_their_cohort_with_each_learners_xp(instructor_client, alice_client,
                                                            autumn):
    alice_client.post(reverse("catalog:complete", args=("sample", "m1-l1")))
    page = instructor_client.get(reverse("teaching:cohort", args=(autumn.pk,))).content.decode()
    assert "alice" in page and "<td>50</td>" in page
    alice = autumn.learners.get()
    learner = instructor_client.get(reverse("teaching:learner", args=(autumn.pk, alice.pk)))
    assert learner.status_code == 200 and 'data-state="done"' in learner.content.decode()


@pytest.mark.django_db
def test_another_instructor_cannot_open_the_cohort_or_its_learners(autumn, alice, db):
    other = get_user_model().objects.create_user("otto", password=None, is_staff=True)
    client = Client()
    client.force_login(other)
    assert client.get(reverse("teaching:cohort", args=(autumn.pk,))).status_code == 404
    assert client.get(reverse("teaching:learner", args=(autumn.pk, alice.pk))).status_code == 404
    assert "Autumn" not in client.get(reverse("teaching:cohorts")).content.decode()


@pytest.mark.django_db
def test_instructor_cannot_open_a_learner_outside_the_cohort(instructor_client, autumn, bob):
    url = reverse("teaching:learner", args=(autumn.pk, bob.pk))
    assert instructor_client.get(url).status_code == 404


@pytest.mark.django_db
def test_learner_cannot_open_their_own_cohort_page(alice_client, autumn):
    assert alice_client.get(reverse("teaching:cohort", args=(autumn.pk,))).status_code == 404


@pytest.mark.django_db
def test_an_instructor_reaches_no_attempt_by_id_nor_through_the_admin(instructor_client,
                                                                      alice_client, autumn):
    from buildreal.assessments.models import Attempt

    alice_client.post(reverse("assessments:start", args=("sample", "m1-test")))
    attempt = Attempt.objects.get()
    assert instructor_client.get(reverse("assessments:attempt",
                                         args=(attempt.pk,))).status_code == 404
    for url in ("/admin/assessments/attempt/", f"/admin/assessments/attempt/{attempt.pk}/change/",
                "/admin/assessments/quizanswer/", "/admin/teaching/cohort/"):
        assert instructor_client.get(url).status_code == 403, url
