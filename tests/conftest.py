"""One output cache for the whole test session.

Executed lesson code (``python exec``, predict blocks) is run once per block and kept by
its hash; pointing every test (pack checks, web pages, notebooks) at the same session
folder means each block runs once per test run, however many tests show it.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_OWN_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    # Plain static names served from the apps' folders: no collectstatic before the tests
    # (tests/web/test_static_files.py builds a real manifest in a temporary folder).
    os.environ.setdefault("BUILDREAL_STATIC_MANIFEST", "0")
    # Set before Django's settings are read, so the site and the CLI share the folder.
    if "BUILDREAL_OUTPUTS_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="buildreal-test-outputs-")
        os.environ["BUILDREAL_OUTPUTS_DIR"] = folder
        _OWN_CACHE.append(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _OWN_CACHE:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("BUILDREAL_OUTPUTS_DIR", None)


@pytest.fixture(autouse=True, scope="session")
def _site_uses_the_session_outputs() -> None:
    """Django read its settings before this file ran: point the site at the folder too."""
    from django.conf import settings

    settings.BUILDREAL_OUTPUTS_DIR = os.environ["BUILDREAL_OUTPUTS_DIR"]


@pytest.fixture(autouse=True, scope="session")
def _plain_static_files():
    """Django read its settings before pytest_configure: switch the static storage to
    plain names here, before any test builds a request handler."""
    from django.test import override_settings

    with override_settings(
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                  "staticfiles": {"BACKEND":
                                  "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        WHITENOISE_USE_FINDERS=True, STATIC_MANIFEST=False,
    ):
        yield
