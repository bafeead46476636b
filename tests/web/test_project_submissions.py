"""Projects are completed by their checks: `buildreal project check ID --submit` sends the
verdicts with a per-learner token, and the site completes the project (and pays its XP)
only when every DoD item passes. Client-to-site tests go through Django's live server."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from buildreal.progress.models import Completion
from buildreal.projects import registry, sitesubmit, submission
from buildreal.projects.base import CheckResult
from buildreal.projectsubmit import tokens
from buildreal.projectsubmit.models import ProjectSubmission, ToolkitToken
from buildreal.teaching.models import Cohort

PROJECT = reverse("catalog:item", args=("sample", "sample-project"))
TOKEN_PAGE = reverse("projectsubmit:token")
live = pytest.mark.django_db(transaction=True)


def results(passing: bool, dod: tuple[str, ...] | None = None) -> list[CheckResult]:
    items = dod or registry.get("p1-autodiff").definition_of_done
    return [CheckResult(dod=d, passed=passing or i > 0, reason="judged", check=f"check {i}")
            for i, d in enumerate(items)]


def payload_for(tmp_path: Path, passing: bool) -> dict:
    (tmp_path / "engine.py").write_text("def backward():\n    return 1\n")
    spec = registry.get("p1-autodiff")
    return submission.build_submission(spec, tmp_path, results(passing), 12.5, "bubblewrap")


@pytest.mark.django_db
def test_the_token_page_shows_a_new_token_once_and_stores_only_its_hash(alice_client, alice):
    page = alice_client.post(TOKEN_PAGE, {"action": "generate"}).content.decode()
    token = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert token.startswith("brt_") and len(token) > 30
    stored = ToolkitToken.objects.get(user=alice)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.prefix, stored.token_hash}
    again = alice_client.get(TOKEN_PAGE).content.decode()
    assert token not in again and stored.prefix in again
    assert tokens.user_for(token) == alice


@pytest.mark.django_db
def test_revoking_or_replacing_a_token_stops_the_old_one(alice_client, alice):
    old = tokens.issue(alice)
    newer = tokens.issue(alice)
    assert tokens.user_for(old) is None and tokens.user_for(newer) == alice
    alice_client.post(TOKEN_PAGE, {"action": "revoke"})
    assert tokens.user_for(newer) is None and not ToolkitToken.objects.exists()


@live
def test_a_passing_submission_completes_the_project_and_pays_its_xp(live_server, alice,
                                                                    course, tmp_path):
    token = tokens.issue(alice)
    reply = sitesubmit.send(live_server.url, token, payload_for(tmp_path, passing=True))
    assert reply.passed and reply.completed and "Project complete" in reply.message
    done = Completion.objects.get(user=alice, item_id="sample-project")
    assert done.xp == course.item("sample-project").xp
    stored = ProjectSubmission.objects.get(user=alice)
    assert stored.passed and stored.files["engine.py"] == hashlib.sha256(
        (tmp_path / "engine.py").read_bytes()).hexdigest()


@live
def test_a_failing_submission_is_recorded_but_completes_nothing(live_server, alice, tmp_path):
    reply = sitesubmit.send(live_server.url, tokens.issue(alice),
                            payload_for(tmp_path, passing=False))
    assert not reply.passed and not reply.completed
    assert "not complete" in reply.message and "Gradients match finite differences" in reply.message
    assert ProjectSubmission.objects.get(user=alice).passed is False
    assert not Completion.objects.filter(user=alice).exists()


@live
def test_the_site_decides_passing_itself_not_from_the_payloads_summary(live_server, alice,
                                                                       tmp_path):
    forged = payload_for(tmp_path, passing=False)
    forged["passed"] = True
    for entry in forged["definition_of_done"]:
        entry["passed"] = True
    assert not sitesubmit.send(live_server.url, tokens.issue(alice), forged).passed
    assert not Completion.objects.filter(user=alice).exists()


@live
def test_a_forged_or_revoked_token_is_refused_with_a_clear_error(live_server, alice, tmp_path):
    payload = payload_for(tmp_path, passing=True)
    old = tokens.issue(alice)
    tokens.issue(alice)  # replaces it
    for token in ("brt_" + "x" * 43, old, "not-a-token"):
        with pytest.raises(sitesubmit.SubmitError, match="refused the token"):
            sitesubmit.send(live_server.url, token, payload)
    assert not ProjectSubmission.objects.exists() and not Completion.objects.exists()


@live
def test_another_learners_token_completes_their_project_not_mine(live_server, alice, bob,
                                                                 tmp_path):
    sitesubmit.send(live_server.url, tokens.issue(bob), payload_for(tmp_path, passing=True))
    assert Completion.objects.filter(user=bob).count() == 1
    assert not Completion.objects.filter(user=alice).exists()


@live
def test_a_submission_whose_dod_does_not_match_the_project_is_refused(live_server, alice,
                                                                      tmp_path):
    payload = payload_for(tmp_path, passing=True)
    payload["definition_of_done"] = payload["definition_of_done"][:2]
    with pytest.raises(sitesubmit.SubmitError, match="does not match"):
        sitesubmit.send(live_server.url, tokens.issue(alice), payload)
    renamed = payload_for(tmp_path, passing=True)
    renamed["definition_of_done"][0]["item"] = "Something easier"
    with pytest.raises(sitesubmit.SubmitError, match="does not match"):
        sitesubmit.send(live_server.url, tokens.issue(alice), renamed)
    assert not ProjectSubmission.objects.exists() and not Completion.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_session_without_a_token_cannot_submit(alice_client, tmp_path):
    import json

    url = reverse("projectsubmit:submit")
    reply = alice_client.post(url, json.dumps(payload_for(tmp_path, passing=True)),
                              content_type="application/json")
    assert reply.status_code == 401 and "token" in reply.json()["error"]
    assert not ProjectSubmission.objects.exists()


def test_an_unreachable_site_gives_a_clear_error():
    with pytest.raises(sitesubmit.SubmitError, match="Could not reach http://127.0.0.1:9"):
        sitesubmit.send("http://127.0.0.1:9", "brt_x", {"project": "p1-autodiff"}, timeout=5)


@live
def test_the_cli_check_submit_completes_the_project_through_the_site(
        live_server, alice, tmp_path, monkeypatch, capsys):
    from buildreal import cli
    from buildreal.projects import cli as project_cli

    monkeypatch.setenv("BUILDREAL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BUILDREAL_TOKEN", tokens.issue(alice))
    monkeypatch.setattr(project_cli, "_judge", lambda spec, d, t: results(passing=True))
    work = tmp_path / "work"
    work.mkdir()
    (work / "engine.py").write_text("x = 1\n")
    code = cli.main(["project", "check", "p1-autodiff", str(work), "--submit",
                     "--site", live_server.url])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"Sent to {live_server.url}" in out.out and "Project complete" in out.out
    assert Completion.objects.filter(user=alice, item_id="sample-project").exists()
    monkeypatch.setenv("BUILDREAL_TOKEN", "brt_wrong")
    code = cli.main(["project", "check", "p1-autodiff", str(work), "--submit",
                     "--site", live_server.url])
    assert code == 2 and "refused the token" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_project_page_has_no_mark_complete_button_and_says_how_to_install(alice_client):
    page = alice_client.get(PROJECT).content.decode()
    assert "Mark complete" not in page
    assert "pip install buildreal" in page and "--submit" in page
    assert TOKEN_PAGE in page
    url = reverse("catalog:complete", args=("sample", "sample-project"))
    assert alice_client.post(url).status_code == 404
    assert not Completion.objects.exists()


@pytest.mark.django_db
def test_the_instructor_sees_the_evidence_and_no_one_elses(alice, bob, instructor, tmp_path):
    from django.test import Client

    from buildreal.projectsubmit import services

    cohort = Cohort.objects.create(name="Autumn", instructor=instructor)
    cohort.learners.add(alice)
    services.accept(alice, payload_for(tmp_path, passing=False))
    teacher = Client()
    teacher.force_login(instructor)
    url = reverse("projectsubmit:evidence", args=(cohort.pk, alice.pk))
    page = teacher.get(url).content.decode()
    assert "FAIL check 0" in page and "PASS check 1" in page and "engine.py" in page
    assert hashlib.sha256((tmp_path / "engine.py").read_bytes()).hexdigest() in page
    assert teacher.get(reverse("projectsubmit:evidence",
                               args=(cohort.pk, bob.pk))).status_code == 404
    other = Client()
    other.force_login(bob)
    assert other.get(url).status_code == 404
