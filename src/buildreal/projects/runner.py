"""Run a project's Definition-of-Done checks in a child process.

The learner's code can loop forever, exhaust memory, call ``sys.exit`` or segfault a C
extension; none of that may take the tool down. So ``check`` starts
``python -m buildreal.projects.runner ID DIR RESULTS`` and waits with a time limit. The
child appends one JSON line per judged item to RESULTS as it goes, so when it dies or is
killed the parent still knows which items were judged, and fails the rest with the reason.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from buildreal.projects.base import CheckResult, ProjectSpec

_POLL_S = 0.1
_STOPPED = 3  # the child's exit code when run_checks itself raised


def run_checks_isolated(
    spec: ProjectSpec,
    learner_dir: Path,
    timeout_s: float | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Judge ``learner_dir`` in a subprocess; never raises because of the learner's code.

    ``on_result`` is called as each verdict arrives (the CLI advances a progress bar).
    Projects that declare probe/judge ``checks`` (docs/projects/checks.md) run only their
    probes in the sandbox and judge here; the others still use the child runner below.
    """
    if spec.checks is not None:
        results = []
        for result in spec.checks.run(learner_dir, timeout_s=timeout_s):
            results.append(result)
            if on_result:
                on_result(result)
        return results
    limit = spec.check_timeout_s if timeout_s is None else timeout_s
    with tempfile.TemporaryDirectory(prefix="buildreal-check-") as tmp:
        results_path = Path(tmp) / "results.jsonl"
        results_path.touch()
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
        cmd = [sys.executable, "-m", "buildreal.projects.runner", spec.id,
               str(learner_dir.resolve()), str(results_path)]
        with open(Path(tmp) / "child.log", "w+b") as log:
            proc = subprocess.Popen(
                cmd, cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
            results: list[CheckResult] = []
            deadline = time.monotonic() + limit
            timed_out = False
            while True:
                finished = proc.poll() is not None
                for result in _read_new(results_path, len(results)):
                    results.append(result)
                    if on_result:
                        on_result(result)
                if finished:
                    break
                if time.monotonic() > deadline:
                    timed_out = True
                    _kill_group(proc)
                    break
                time.sleep(_POLL_S)
            log.seek(0)
            log_tail = log.read()[-4000:].decode("utf-8", "replace")
    if timed_out:
        why = (f"not judged: the check process was stopped after {limit:g} s "
               "(an infinite loop in your code, or far too slow)")
    elif proc.returncode == _STOPPED:
        why = "not judged: the checks stopped on an error in your code (its last line below)"
    elif proc.returncode != 0:
        why = (f"not judged: the check process died with exit code {proc.returncode} "
               "(did your code call sys.exit or os._exit, or crash the interpreter?)")
    else:
        why = "not judged: the checks ended early"
    judged = {r.dod for r in results}
    for dod in spec.definition_of_done:
        if dod not in judged:
            missing = CheckResult(dod, False, why, 1, _last_lines(log_tail))
            results.append(missing)
            if on_result:
                on_result(missing)
    if not results:  # a project without a declared DoD list that produced nothing
        results.append(CheckResult("the checks ran", False, why, 1, _last_lines(log_tail)))
    return results


def _read_new(path: Path, already: int) -> list[CheckResult]:
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines[already:]:
        try:
            out.append(CheckResult(**json.loads(line)))
        except (ValueError, TypeError):
            break  # a line still being written; read it on the next poll
    return out


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the child and anything it started (its own session on POSIX)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # Windows: no process groups here; the child alone
            proc.kill()
    except ProcessLookupError:
        pass
    proc.wait()


def _last_lines(text: str, n: int = 6) -> str:
    return "\n".join(text.strip().splitlines()[-n:])


def _child(project_id: str, learner_dir: str, results_path: str) -> int:
    """The child's side: judge, and write each verdict the moment it exists."""
    from buildreal.projects import registry
    from buildreal.projects.sandbox import learner_frame

    spec = registry.get(project_id)
    directory = Path(learner_dir)
    # The learner's code runs with its own folder importable, as it would for them.
    sys.path.insert(0, str(directory))
    with open(results_path, "a", encoding="utf-8") as out:
        try:
            for result in spec.run_checks(directory):
                out.write(json.dumps(asdict(result)) + "\n")
                out.flush()
        except BaseException as exc:  # noqa: BLE001 - SystemExit from learner code too
            print(f"the checks stopped: {learner_frame(exc, directory)}", file=sys.stderr)
            return _STOPPED
    return 0


if __name__ == "__main__":
    sys.exit(_child(*sys.argv[1:4]))
