"""Shared fixtures for the web tests: the sample pack served from a temporary copy, and
the personas every permission test uses. Alice and Bob are learners; the instructor
teaches a cohort. Personas log in with ``force_login`` (no password hashing per test);
the tests about logging in set passwords themselves."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from buildreal.catalog.content import get_catalog, reset_catalog
from buildreal.packs.model import Course

SAMPLE_PACK = Path(__file__).resolve().parents[1] / "fixtures" / "sample-pack"


@pytest.fixture(scope="session")
def courses_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("courses")
    shutil.copytree(SAMPLE_PACK, root / "sample-pack")
    return root


@pytest.fixture(scope="session")
def figures_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("figures")


@pytest.fixture(autouse=True)
def sample_site(courses_root: Path, figures_root: Path) -> Iterator[None]:
    """Every web test serves the sample pack (and only it)."""
    saved = settings.BUILDREAL_COURSES_DIR, settings.BUILDREAL_FIGURES_DIR
    settings.BUILDREAL_COURSES_DIR = courses_root
    settings.BUILDREAL_FIGURES_DIR = figures_root
    reset_catalog()
    yield
    settings.BUILDREAL_COURSES_DIR, settings.BUILDREAL_FIGURES_DIR = saved
    reset_catalog()


@pytest.fixture
def course() -> Course:
    return get_catalog().courses["sample"]


def _user(username: str, **extra: object):
    return get_user_model().objects.create_user(username=username, password=None, **extra)


@pytest.fixture
def alice(db):
    return _user("alice")


@pytest.fixture
def bob(db):
    return _user("bob")


@pytest.fixture
def instructor(db):
    return _user("ines", is_staff=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    return _client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return _client_for(bob)


HTMX = {"HTTP_HX_REQUEST": "true"}
