"""The probe/judge machinery as a learner and an instructor meet it: a hang costs one
check, not all; a submission carries the verdicts in the notes' words, the toolkit
version and the hashes of the files; an instructor's re-run confirms or contradicts it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
import yaml
from support_p12 import REPO, submission

from buildreal.cli import main
from buildreal.projects import registry
from buildreal.projects.p1_autodiff.checks import CHECKS, DEFINITION_OF_DONE
from buildreal.projects.submission import build_submission, toolkit_version


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUILDREAL_HOME", str(tmp_path / "home"))


def test_a_probe_that_ignores_its_alarm_is_killed_and_the_other_checks_still_run(
        tmp_path: Path) -> None:
    learner = submission("p1-autodiff", tmp_path / "mine")
    gradcheck = learner / "autodiff" / "gradcheck.py"
    gradcheck.write_text(gradcheck.read_text() + (
        "\n\ndef numerical_gradient(f, x, eps=1e-6):\n"
        "    import signal\n"
        "    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "    while True:\n"
        "        pass\n"))
    quick = dataclasses.replace(CHECKS, probes=tuple(
        dataclasses.replace(p, timeout_s=1.0) for p in CHECKS.probes))
    results = {r.check: r for r in quick.run(learner)}
    finite = results["numerical_gradient and the engine agree with finite differences"]
    assert not finite.passed
    assert "your code was still running after 1 s and was stopped" in finite.reason
    assert results["Every operation's value and gradient match PyTorch"].passed
    assert results["SGD trains a 2-16-16-2 MLP on two moons"].passed


def test_the_submission_payload_names_the_notes_items_with_verdicts_and_file_hashes(
        tmp_path: Path) -> None:
    learner = submission("p1-autodiff", tmp_path / "mine")
    spec = registry.get("p1-autodiff")
    results = list(spec.run_checks(learner))
    payload = build_submission(spec, learner, results, 12.34, "bubblewrap")
    assert [i["item"] for i in payload["definition_of_done"]] == list(DEFINITION_OF_DONE)
    assert payload["passed"] is True and payload["project"] == "p1-autodiff"
    assert payload["toolkit_version"] == toolkit_version() != "unknown"
    assert payload["seconds"] == 12.3
    engine = learner / "autodiff" / "engine.py"
    assert payload["files"]["autodiff/engine.py"] == \
        hashlib.sha256(engine.read_bytes()).hexdigest()
    backprop = payload["definition_of_done"][2]
    assert len(backprop["checks"]) == 4 and all(c["passed"] for c in backprop["checks"])


def test_check_output_payload_and_project_page_use_the_same_dod_wording(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    learner = submission("p1-autodiff", tmp_path / "mine")
    saved = tmp_path / "submission.json"
    assert main(["project", "check", "p1-autodiff", str(learner),
                 "--save-submission", str(saved)]) == 0
    out = capsys.readouterr().out
    page = yaml.safe_load((REPO / "courses/deep-learning-mastery/projects/p1-autodiff.yaml")
                          .read_text(encoding="utf-8"))["definition_of_done"]
    payload = [i["item"] for i in json.loads(saved.read_text())["definition_of_done"]]
    printed = [line for line in out.splitlines() if line in page]
    assert page == payload == printed == list(DEFINITION_OF_DONE)


def test_an_instructor_rerun_confirms_an_honest_submission_and_flags_changed_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    learner = submission("p1-autodiff", tmp_path / "mine")
    saved = tmp_path / "submission.json"
    assert main(["project", "check", "p1-autodiff", str(learner),
                 "--save-submission", str(saved)]) == 0
    capsys.readouterr()
    assert main(["project", "rerun", str(saved), str(learner)]) == 0
    assert "Every verdict matches the submission." in capsys.readouterr().out

    engine = learner / "autodiff" / "engine.py"
    engine.write_text(engine.read_text().replace("g * (1.0 - t * t)", "g * (1.0 - t)"))
    assert main(["project", "rerun", str(saved), str(learner)]) == 1
    assert "autodiff/engine.py: different content" in capsys.readouterr().out


def test_a_forged_submission_is_contradicted_by_the_rerun(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    learner = submission("p1-autodiff", tmp_path / "mine")
    notes = learner / "NOTES.md"
    notes.write_text("TODO")  # the documentation item fails for real
    saved = tmp_path / "submission.json"
    main(["project", "check", "p1-autodiff", str(learner), "--save-submission", str(saved)])
    payload = json.loads(saved.read_text())
    for item in payload["definition_of_done"]:  # the learner edits the file to pass
        item["passed"] = True
        for check in item["checks"]:
            check["passed"] = True
    saved.write_text(json.dumps(payload))
    capsys.readouterr()
    assert main(["project", "rerun", str(saved), str(learner)]) == 1
    out = capsys.readouterr().out
    assert ("Documentation explains the graph and gradient flow / NOTES.md explains the graph "
            "and traces the gradients: submitted PASS, re-run FAIL") in out


@pytest.mark.parametrize("planted", ["nested", "traversal", "symlink", "pickle"])
def test_probe_data_planted_by_learner_code_is_refused_not_followed(
        tmp_path: Path, planted: str) -> None:
    import numpy as np

    from buildreal.projects.checking import _read_outcome

    folder = tmp_path / "out" / "ops"
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.npy"
    np.save(secret, np.arange(3))
    data = {"ok": {"cases": {"__array__": "a0.npy"}}}
    if planted == "nested":
        (folder / "data.json").write_text("[" * 100_000 + "]" * 100_000)
    else:
        if planted == "traversal":
            data = {"ok": {"cases": {"__array__": "../../secret.npy"}}}
        elif planted == "symlink":
            (folder / "a0.npy").symlink_to(secret)
        else:
            np.save(folder / "a0.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
        (folder / "data.json").write_text(json.dumps(data))
    outcome = _read_outcome(tmp_path / "out", "ops")
    assert outcome is not None and outcome.data is None
    assert "could not be read" in outcome.failure
