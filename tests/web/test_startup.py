"""Start-up: packs load once and a bad pack stops the server with file:line messages;
`buildreal serve` migrates, builds figures and prints the instructor password once."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from buildreal.catalog.content import require_catalog, reset_catalog


@pytest.fixture
def bad_courses(tmp_path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(Path(settings.BUILDREAL_COURSES_DIR), root)
    quiz = root / "sample-pack" / "m1-learning" / "l1-quiz.yaml"
    quiz.write_text(quiz.read_text().replace("minutes: 5", "minuts: 5"))
    return root


def test_bad_pack_fails_the_system_check_with_file_and_line(bad_courses):
    settings.BUILDREAL_COURSES_DIR = bad_courses
    reset_catalog()
    with pytest.raises(SystemCheckError, match=r"l1-quiz\.yaml:\d+: .*minuts"):
        call_command("check")
    with pytest.raises(ImproperlyConfigured, match=r"l1-quiz\.yaml:\d+:"):
        require_catalog()


def buildreal_prepare(data_dir: Path, courses: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SECRET_KEY")}
    env.update(BUILDREAL_DATA_DIR=str(data_dir), BUILDREAL_COURSES_DIR=str(courses))
    code = "import sys; from buildreal.web.cli import prepare; sys.exit(prepare())"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)


def test_serve_refuses_to_start_on_a_bad_pack(tmp_path, bad_courses):
    result = buildreal_prepare(tmp_path / "data", bad_courses)
    assert result.returncode == 1
    assert "l1-quiz.yaml:" in result.stderr and "minuts" in result.stderr
    assert "refusing to start" in result.stderr
    assert not (tmp_path / "data" / "buildreal.sqlite3").exists()


@pytest.mark.slow
def test_first_start_creates_the_instructor_and_shows_the_password_only_once(tmp_path):
    data = tmp_path / "data"
    first = buildreal_prepare(data, Path(settings.BUILDREAL_COURSES_DIR))
    assert first.returncode == 0, first.stderr
    password = first.stdout.split("password: ", 1)[1].split()[0]
    assert "username: instructor" in first.stdout
    assert (data / "figures" / "sample" / "loss_curves.svg").is_file()
    second = buildreal_prepare(data, Path(settings.BUILDREAL_COURSES_DIR))
    assert second.returncode == 0 and "password" not in second.stdout
    with closing(sqlite3.connect(data / "buildreal.sqlite3")) as db:
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
        [(stored,)] = db.execute("select password from auth_user").fetchall()
    assert stored.startswith("argon2$") and password not in stored
    for path in data.rglob("*"):
        if path.is_file() and path.suffix != ".svg":
            assert password.encode() not in path.read_bytes()


def test_buildreal_manage_runs_django_commands(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SECRET_KEY")}
    env.update(BUILDREAL_DATA_DIR=str(tmp_path), BUILDREAL_COURSES_DIR=str(
        settings.BUILDREAL_COURSES_DIR))
    result = subprocess.run([sys.executable, "-m", "buildreal.cli", "manage", "check"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_front_end_assets_are_reported_with_the_fix(monkeypatch, tmp_path):
    from buildreal.web import checks

    monkeypatch.setattr(checks, "VENDOR", tmp_path)
    [warning] = checks.check_vendored_assets()
    assert warning.id == "buildreal.W001" and "scripts/setup.sh" in warning.hint
    assert "htmx.min.js" in warning.msg
