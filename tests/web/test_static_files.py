"""Static files in production: hashed names, gzip and brotli copies, a one-year cache
(WhiteNoise's compressed manifest storage, built here by collectstatic into a temporary
folder exactly as `buildreal serve` does)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "buildreal.web.staticstorage.ManifestStorage"}}


@pytest.fixture
def collected(tmp_path):
    with override_settings(STORAGES=MANIFEST, STATIC_ROOT=str(tmp_path),
                           WHITENOISE_USE_FINDERS=False, STATIC_MANIFEST=True):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


@pytest.mark.django_db
def test_pages_link_hashed_static_files_served_compressed_with_a_long_cache(collected):
    page = Client().get("/").content.decode()
    css = re.search(r'href="(/static/buildreal/css/site\.[0-9a-f]{12}\.css)"', page)
    assert css, "the stylesheet is not linked by its hashed name"
    for encoding in ("br", "gzip"):
        reply = Client().get(css.group(1), HTTP_ACCEPT_ENCODING=encoding)
        assert reply.status_code == 200
        assert reply["Content-Encoding"] == encoding
        max_age = int(re.search(r"max-age=(\d+)", reply["Cache-Control"]).group(1))
        assert max_age >= 365 * 24 * 3600 and "immutable" in reply["Cache-Control"]
    assert list(collected.glob("buildreal/css/site.*.css.br"))
    assert list(collected.glob("buildreal/css/site.*.css.gz"))


def test_a_static_url_is_remembered_and_forgotten_when_collectstatic_rewrites_the_manifest(
        tmp_path):
    import json

    from buildreal.web.staticstorage import ManifestStorage

    (tmp_path / "staticfiles.json").write_text(json.dumps({
        "version": "1.1", "hash": "h",
        "paths": {"buildreal/css/site.css": "buildreal/css/site.0123456789ab.css"}}))
    storage = ManifestStorage(location=str(tmp_path), base_url="/static/")
    first = storage.url("buildreal/css/site.css")
    assert first == "/static/buildreal/css/site.0123456789ab.css"
    storage.hashed_files["buildreal/css/site.css"] = "buildreal/css/site.0.css"
    assert storage.url("buildreal/css/site.css") == first  # remembered
    list(storage.post_process({}, dry_run=True))  # what collectstatic runs
    storage.hashed_files["buildreal/css/site.css"] = "buildreal/css/site.0.css"
    assert storage.url("buildreal/css/site.css") == "/static/buildreal/css/site.0.css"
