"""Settings from the environment: safe defaults and loud failures on bad values."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from buildreal.web import env


def run_settings(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='buildreal.web.settings';"
            "from django.conf import settings;"
            "print(settings.DEBUG, settings.ALLOWED_HOSTS,"
            "      settings.DATABASES['default']['ENGINE'])")
    environ = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "DJANGO_SECRET_KEY", "BUILDREAL_DEBUG")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**environ, "BUILDREAL_DATA_DIR": str(tmp_path), **variables},
                          timeout=60)


def test_defaults_are_debug_off_local_hosts_and_sqlite(tmp_path):
    result = run_settings(tmp_path)
    assert result.stdout.strip() == (
        "False ['127.0.0.1', 'localhost'] django.db.backends.sqlite3")
    assert (tmp_path / "secret_key").is_file()


def test_postgres_database_url_selects_postgresql(tmp_path):
    result = run_settings(tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:5432/db")
    assert result.stdout.strip().endswith("django.db.backends.postgresql")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("BUILDREAL_DEBUG", "maybe", "BUILDREAL_DEBUG='maybe' is not a flag"),
    ("DATABASE_URL", "mysqlish://x", "DATABASE_URL is not a database URL"),
    ("BUILDREAL_ALLOWED_HOSTS", " , ", "BUILDREAL_ALLOWED_HOSTS is empty"),
    ("DJANGO_SECRET_KEY", "short", "DJANGO_SECRET_KEY is shorter than 32 characters"),
])
def test_a_bad_value_stops_the_site_naming_the_variable(tmp_path, name, value, message):
    result = run_settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_secret_key_is_generated_once_with_owner_only_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path)
    assert env.secret_key(tmp_path) == first and len(first) >= 50
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_given_secret_key_is_used_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "k" * 40)
    assert env.secret_key(tmp_path) == "k" * 40
    assert not (tmp_path / "secret_key").exists()


def test_flags_accept_the_usual_spellings(monkeypatch):
    for raw, expected in (("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)):
        monkeypatch.setenv("X_FLAG", raw)
        assert env.env_bool("X_FLAG") is expected


def test_unwritable_data_folder_is_explained(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ImproperlyConfigured, match="Set BUILDREAL_DATA_DIR"):
        env.ensure_data_dir(blocker / "data")
