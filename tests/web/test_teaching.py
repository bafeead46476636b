"""Who may see whose records: self, and an instructor for their own cohort only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

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
