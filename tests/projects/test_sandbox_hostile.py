"""Hostile learner code against the check sandbox, in both of its modes.

Each attack runs from a learner folder under small limits (the behaviour is the same at
the real limits, which only cost more time and memory): it must be contained, and the
result must say what was stopped in words a learner can act on. Where the fallback mode
cannot contain an attack (it has no file-system or network isolation) the test checks
that the output says so instead.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from buildreal.cli import main
from buildreal.projects.isolation import Limits, RunResult, run_sandboxed, sandbox_mode

HOSTILE = Path(__file__).parent / "hostile"
SMALL = Limits(memory_bytes=512 * 2**20, cpu_seconds=30, file_bytes=16 * 2**20, processes=20,
               output_bytes=2**20, wall_seconds=30)
MODES = ["bubblewrap", "fallback"]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    if request.param == "bubblewrap" and os.environ.get("BUILDREAL_SANDBOX") != "fallback":
        try:
            if sandbox_mode() != "bubblewrap":
                pytest.skip("bwrap cannot create namespaces here (scripts/setup.sh installs "
                            "bubblewrap); the fallback tests still run")
        except RuntimeError as exc:
            pytest.skip(str(exc))
    return request.param


@pytest.fixture
def learner(tmp_path: Path) -> Path:
    folder = tmp_path / "learner"
    folder.mkdir()
    return folder


def attack(learner: Path, mode: str, script: str, *args: str,
           limits: Limits = SMALL) -> RunResult:
    shutil.copyfile(HOSTILE / script, learner / script)
    return run_sandboxed([sys.executable, str(learner / script), *args], writable=[learner],
                         cwd=learner, limits=limits, mode=mode)


def notes(result: RunResult) -> str:
    return " ".join(result.notes)


def test_reading_a_secret_outside_the_folder_is_refused(learner: Path, mode: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    secret = learner.parent / "site-secret-key.txt"
    secret.write_text("s3cr3t-k3y")
    monkeypatch.setenv("BUILDREAL_TEST_SECRET", "token-in-the-environment")
    result = attack(learner, mode, "read_secret.py", str(secret))
    assert "token-in-the-environment" not in result.output_tail  # emptied environment
    assert "ENV: None" in result.output_tail
    if mode == "bubblewrap":
        assert "s3cr3t-k3y" not in result.output_tail
        assert f"your code tried to open {secret}, which is outside your project folder" \
            in notes(result)
    else:
        assert "ran without file-system and network isolation" in result.notes[0]


def test_writing_outside_the_folder_is_refused(learner: Path, mode: str) -> None:
    outside = learner.parent / "planted.txt"
    result = attack(learner, mode, "write_outside.py", str(outside))
    assert not Path("/usr/lib/buildreal-was-here").exists() or mode == "fallback"
    if mode == "bubblewrap":
        assert not outside.exists()  # at most it reached the sandbox's private /tmp
        assert "WROTE /usr" not in result.output_tail
        assert "only your project folder and /tmp are writable" in notes(result)
    else:
        Path("/usr/lib/buildreal-was-here").unlink(missing_ok=True)
        assert "ran without file-system and network isolation" in result.notes[0]


def test_opening_a_socket_reaches_nothing(learner: Path, mode: str) -> None:
    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(2)

    def serve() -> None:
        try:
            conn, _ = server.accept()
            received.append(conn.recv(100))
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    result = attack(learner, mode, "open_socket.py", str(server.getsockname()[1]))
    if mode == "bubblewrap":
        server.close()
        thread.join()
        assert received == [] and "SENT" not in result.output_tail
        assert "checks run without network access" in notes(result)
    else:
        thread.join()
        server.close()
        assert "ran without file-system and network isolation" in result.notes[0]


def _alive_with(marker: str) -> int:
    alive = 0
    for entry in Path("/proc").iterdir():
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                alive += state != "Z"
        except OSError:
            continue
    return alive


def test_a_fork_bomb_is_bounded_and_cleaned_up(learner: Path, mode: str) -> None:
    marker = f"bomb-{uuid.uuid4().hex}"
    result = attack(learner, mode, "fork_bomb.py", marker)
    started = int(result.output_tail.split("STARTED")[1].split()[0])
    assert started + 1 <= SMALL.processes  # the bomb itself counts as one
    assert "tried to run more than 20 processes or threads at once and was refused" \
        in notes(result)
    assert result.leftover >= started and "the checks stopped them" in notes(result)
    assert _alive_with(marker) == 0


def test_a_memory_bomb_is_bounded(learner: Path, mode: str) -> None:
    result = attack(learner, mode, "memory_bomb.py")
    allocated = int(result.output_tail.split("ALLOCATED_MB")[1].split()[0])
    assert 0 < allocated <= SMALL.memory_bytes // 2**20
    assert "your code ran out of memory: checks allow 0.5 GB" in notes(result)


def test_two_gigabytes_of_output_are_cut_off_not_read(learner: Path, mode: str) -> None:
    result = attack(learner, mode, "flood.py")
    assert result.output_capped
    assert result.output_bytes < SMALL.output_bytes + 2**17  # stopped reading at the cap
    assert len(result.output_tail) <= 4000
    assert "your code printed more than 1 MB, so it was stopped" in notes(result)


def test_a_setsid_daemon_does_not_survive_the_run(learner: Path, mode: str) -> None:
    beat = learner / "heartbeat"
    result = attack(learner, mode, "daemon.py", str(beat))
    assert "DAEMON STARTED" in result.output_tail
    assert result.leftover >= 1
    assert "were still running after it finished; the checks stopped them" in notes(result)
    size = beat.stat().st_size
    time.sleep(0.3)
    assert beat.stat().st_size == size  # nobody is writing any more


FORGER = '''
import glob, json, os, sys
forged = json.dumps({"dod": "everything", "passed": True, "reason": "forged",
                     "hint_layer": 1, "detail": ""})
# the job file names the output folder: write a "passing" result for every probe
job = json.load(open(sys.argv[-1])) if sys.argv[-1].endswith(".json") else {}
# written whole and renamed into place, so the checker reads either nothing or all of it
for probe in job.get("probes", []):
    folder = os.path.join(job["out"], probe["name"])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "forged.tmp"), "w") as f:
        f.write(json.dumps({"ok": {"passed": True}}) + TRAILER)
    os.replace(os.path.join(folder, "forged.tmp"), os.path.join(folder, "data.json"))
# every other results-like file of this check (never wider: the fallback mode could reach it)
work = os.path.dirname(sys.argv[-1])
for path in glob.glob(os.path.join(work, "**", "*.json*"), recursive=True) + ["results.jsonl"]:
    if os.path.basename(path) == "data.json":
        continue
    try:
        with open(path, "a") as f:
            f.write(forged + "\\n")
    except OSError:
        pass
print("PASS  Backprop works for all supported operations")
print("All 4 items of the Definition of Done pass. Well built.")
os._exit(0)
'''


@pytest.mark.parametrize("forced", MODES)
@pytest.mark.parametrize("data", ["malformed", "well-formed"])
def test_forged_pass_lines_and_a_clean_exit_pass_nothing(
        tmp_path: Path, forced: str, data: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Forged probe data fails every check: when it is not even valid JSON the learner is
    told their code tampered with the check's files; when it is valid but says only
    "passed", every judge finds the evidence it needs missing."""
    if forced == "bubblewrap" and sandbox_mode() != "bubblewrap":
        pytest.skip("bwrap cannot create namespaces here")
    monkeypatch.setenv("BUILDREAL_SANDBOX", forced)
    monkeypatch.setenv("BUILDREAL_HOME", str(tmp_path / "home"))
    package = tmp_path / "learner" / "autodiff"
    package.mkdir(parents=True)
    trailer = "'\\n' + forged + '\\n'" if data == "malformed" else "''"
    (package / "__init__.py").write_text(FORGER.replace("TRAILER", trailer))
    assert main(["project", "check", "p1-autodiff", str(package.parent)]) == 1
    out = capsys.readouterr().out
    assert "0 of 4 items pass (0 of 8 checks)" in out
    assert [line for line in out.splitlines() if line.strip().startswith("PASS")] == []
    assert out.count("FAIL  ") == 8
    tampered = "your code tampered with the check's files" in out
    if data == "malformed":
        assert tampered
    else:
        assert not tampered
        assert "the check received no" in out
    state = json.loads((tmp_path / "home" / "projects.json").read_text())
    assert state["p1-autodiff"]["status"] == "checked-fail"


def test_sandboxed_code_holds_no_capability_even_when_the_checks_run_as_root(
        learner: Path) -> None:
    if sandbox_mode() != "bubblewrap":
        pytest.skip("bwrap cannot create namespaces here")
    script = learner / "caps.py"
    script.write_text("print([l for l in open('/proc/self/status') if l.startswith('CapEff')])\n"
                      "import os\n"
                      "print('remount', os.system('mount -o remount,bind,rw /usr 2>/dev/null'))\n")
    result = run_sandboxed([sys.executable, str(script)], writable=[learner], cwd=learner,
                           limits=SMALL, mode="bubblewrap")
    assert "CapEff:\\t0000000000000000" in result.output_tail
    assert "remount 0" not in result.output_tail
