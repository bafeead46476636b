"""Who may see whose records. The one rule other apps call."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from buildreal.teaching.models import Cohort


def can_view_learner(viewer: AbstractBaseUser, learner: AbstractBaseUser) -> bool:
    """A learner sees their own records; an instructor sees the learners of their own
    cohorts; nobody else sees anything (staff status alone is not enough)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == learner.pk:
        return True
    return Cohort.objects.filter(instructor=viewer, learners=learner).exists()
