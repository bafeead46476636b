"""Fixtures for the tutor tests: engines for both matchers and the lab built in code."""

from __future__ import annotations

import pytest
from tutor_helpers import night_photos_lab

from buildreal.packs.model import Lab
from buildreal.tutor import Engine, LexicalMatcher, SemanticMatcher


@pytest.fixture
def lab() -> Lab:
    return night_photos_lab()


@pytest.fixture
def engine() -> Engine:
    return Engine(matcher=LexicalMatcher())


@pytest.fixture(scope="session")
def semantic_matcher() -> SemanticMatcher:
    matcher = SemanticMatcher()
    matcher.warm_up()  # the model loads once per test session
    return matcher
