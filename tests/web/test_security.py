"""Security headers, CSRF on every POST, secure cookies behind TLS, sanitized content."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from buildreal.catalog.content import reset_catalog


def test_pages_carry_the_security_headers(client):
    response = client.get("/courses/sample/m1-l1/")
    csp = response["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/accounts/login/", "/accounts/signup/", "/accounts/logout/",
    "/courses/sample/m1-l1/complete/",
    "/courses/sample/m1-l1-quiz/questions/q1/answer/",
    "/courses/sample/m1-test/attempts/",
])
def test_every_post_needs_a_csrf_token(alice, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(url, {}).status_code == 403


@pytest.mark.django_db
def test_htmx_requests_carry_the_csrf_token_in_a_header(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get("/courses/sample/m1-l1/").content.decode()
    token = page.split('hx-headers=\'{"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    response = client.post("/courses/sample/m1-l1/complete/", HTTP_X_CSRFTOKEN=token,
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def _settings_in_subprocess(env: dict[str, str], expr: str) -> subprocess.CompletedProcess:
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='buildreal.web.settings';"
            f"from django.conf import settings; print({expr})")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


def test_behind_tls_cookies_are_secure_and_hsts_is_on(tmp_path):
    result = _settings_in_subprocess(
        {"BUILDREAL_BEHIND_TLS": "1", "BUILDREAL_DATA_DIR": str(tmp_path),
         "BUILDREAL_ALLOWED_HOSTS": "learn.example.org"},
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS > 0, settings.CSRF_TRUSTED_ORIGINS")
    assert result.stdout.strip() == "True True True ['https://learn.example.org']"


def test_without_tls_flag_cookies_are_not_marked_secure():
    assert settings.SESSION_COOKIE_SECURE is False


def test_hostile_pack_markup_never_reaches_the_page(client, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(Path(settings.BUILDREAL_COURSES_DIR), root)
    lesson = root / "sample-pack" / "m1-learning" / "l1-overfitting.md"
    lesson.write_text(lesson.read_text() + '\n<script>alert(1)</script>\n'
                      '<img src=x onerror="alert(2)">\n[click](javascript:alert(3))\n')
    settings.BUILDREAL_COURSES_DIR = root
    reset_catalog()
    page = client.get("/courses/sample/m1-l1/").content.decode()
    assert "<script>alert(1)" not in page  # shown as text, never as a tag
    assert not re.search(r"<img[^>]*onerror", page)
    assert 'href="javascript:' not in page


@pytest.mark.parametrize("path", ["vendor/htmx.min.js", "vendor/katex/katex.min.js",
                                  "vendor/katex/auto-render.min.js", "buildreal/js/site.js",
                                  "buildreal/css/site.css"])
def test_scripts_and_styles_are_served_from_our_own_static_files(client, path):
    response = client.get(f"/static/{path}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def _every_view() -> list[tuple[str, object]]:
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append((prefix + str(entry.pattern), entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


# Views that authenticate by a bearer token and never by the session cookie, so a forged
# cross-site request carries nothing they accept (tested in test_project_submissions.py).
TOKEN_ONLY = ["api/projects/submissions/"]


def test_no_view_is_exempt_from_csrf_checks_except_token_only_ones():
    views = _every_view()
    assert any("attempts/<int:pk>/submit/" in route for route, _ in views)  # walked it all
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    assert exempt == TOKEN_ONLY


@pytest.mark.django_db
def test_saving_and_submitting_an_attempt_need_a_csrf_token(alice):
    from buildreal.assessments.models import Attempt, AttemptAnswer

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get("/courses/sample/m1-test/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client.post("/courses/sample/m1-test/attempts/", {"csrfmiddlewaretoken": token})
    attempt = Attempt.objects.get(user=alice)
    sheet = {"shown": "q-q3", "q-q3": "44"}
    assert client.post(f"/attempts/{attempt.pk}/save/", sheet).status_code == 403
    assert client.post(f"/attempts/{attempt.pk}/save/", sheet,
                       HTTP_HX_REQUEST="true").status_code == 403
    assert client.post(f"/attempts/{attempt.pk}/submit/", sheet).status_code == 403
    attempt.refresh_from_db()
    assert not attempt.is_submitted and not AttemptAnswer.objects.exists()


def test_no_template_loads_anything_from_another_site():
    """KaTeX, HTMX and fonts come from our static files: no CDN, no web font service."""
    src = Path(__file__).resolve().parents[2] / "src" / "buildreal"
    external = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
    checked = 0
    for template in src.glob("*/templates/**/*.html"):
        checked += 1
        assert not external.search(template.read_text()), template
    css = (src / "web" / "static" / "buildreal" / "css" / "site.css").read_text()
    assert "@import" not in css and "//" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert checked >= 10


@pytest.mark.django_db
def test_hostile_markup_in_a_quiz_is_neutralised_before_and_after_answering(alice_client,
                                                                            tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(Path(settings.BUILDREAL_COURSES_DIR), root)
    quiz = root / "sample-pack" / "m1-learning" / "l1-quiz.yaml"
    text = quiz.read_text()
    text = text.replace("text: Both losses stay flat and high.",
                        "text: 'Both losses stay flat <img src=x onerror=alert(1)>'", 1)
    text = text.replace("correct: A widening gap means",
                        "correct: <script>alert(2)</script> A widening gap means", 1)
    quiz.write_text(text)
    settings.BUILDREAL_COURSES_DIR = root
    reset_catalog()
    page = alice_client.get("/courses/sample/m1-l1-quiz/").content.decode()
    assert "Both losses stay flat" in page
    value = re.search(r'name="answer" value="(o\d+)">\s*<span>Training loss keeps falling',
                      page).group(1)
    answered = alice_client.post("/courses/sample/m1-l1-quiz/questions/q1/answer/",
                                 {"answer": value}, HTTP_HX_REQUEST="true").content.decode()
    assert "A widening gap means" in answered
    for html in (page, answered):
        assert not re.search(r"<img[^>]*onerror", html)
        assert "<script>alert" not in html
