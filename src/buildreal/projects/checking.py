"""Definition-of-Done checks whose verdicts learner code cannot write.

A project declares :class:`ProjectChecks`: probes (functions run in a sandboxed child,
:mod:`buildreal.projects.probe_child`, that call the learner's code and return plain
data) and checks (judges run here, in a process that never imports learner code). See
docs/projects/checks.md for the whole contract and an example.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from buildreal.projects.base import CheckResult
from buildreal.projects.isolation import Limits, RunResult, run_sandboxed, sandbox_mode
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed, short

__all__ = ["Check", "Evidence", "Failed", "Probe", "ProbeContext", "ProjectChecks"]

GRACE_S = 5.0  # after a probe's own limit, before the parent kills the sandbox
MAX_JSON = 16 * 2**20
MAX_ARRAY = 512 * 2**20
_ARRAY_NAME = re.compile(r"^a\d{1,6}\.npy$")
_TAMPERED = ("the check's data for this item could not be read: your code tampered with the "
             "check's files (leave everything outside your folder alone)")


@dataclass(frozen=True)
class Probe:
    """A function of the project's probes module, run in the sandbox."""

    name: str
    timeout_s: float = 60.0


@dataclass(frozen=True)
class Check:
    """One verification under a DoD item, judged in the parent from one probe's data."""

    dod: str  # the DoD item it belongs to, in the notes' wording
    label: str  # what this check verifies, in a few words
    hint_layer: int
    probe: str | None  # None: the judge reads only the learner's files
    judge: Callable[[Evidence], str]


@dataclass
class _Outcome:
    data: dict[str, Any] | None
    failure: str = ""
    detail: str = ""


class Evidence:
    """A probe's data as a judge reads it: each accessor validates, and turns anything
    malformed into :class:`Failed` with a readable reason."""

    def __init__(self, data: dict[str, Any], inputs: dict[str, Any], learner_dir: Path,
                 probe: str | None) -> None:
        self.data = data
        self.inputs = inputs
        self.learner_dir = learner_dir
        self.probe = probe

    def get(self, key: str) -> Any:
        if key not in self.data:
            raise Failed(f"the check received no {key!r} from your code")
        return self.data[key]

    def has(self, key: str) -> bool:
        return key in self.data

    def array(self, key: str, *, shape: tuple[int, ...] | None = None, ndim: int | None = None,
              dtype: Any = np.float64) -> np.ndarray:
        value = self.get(key)
        try:
            array = np.asarray(value, dtype=dtype)
        except (TypeError, ValueError):
            raise Failed(f"{key}: your code returned something that is not an array of "
                         "numbers") from None
        if shape is not None and array.shape != shape:
            raise Failed(f"{key}: your code returned shape {array.shape}, expected {shape}")
        if ndim is not None and array.ndim != ndim:
            raise Failed(f"{key}: your code returned {array.ndim} dimension(s), expected "
                         f"{ndim}")
        return array

    def number(self, key: str) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Failed(f"{key}: your code returned {type(value).__name__}, not a number")
        return float(value)

    def integer(self, key: str) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Failed(f"{key}: your code returned {type(value).__name__}, not an integer")
        return value

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            raise Failed(f"{key}: your code returned {type(value).__name__}, not text")
        return value

    def flag(self, key: str) -> bool:
        return bool(self.get(key))

    def items(self, key: str) -> list[Any]:
        value = self.get(key)
        if not isinstance(value, list):
            raise Failed(f"{key}: your code returned {type(value).__name__}, not a list")
        return value

    def read_text(self, relative: str, max_bytes: int = 1_000_000) -> str | None:
        """A learner file's text, or None when it is missing or leaves the folder."""
        root = self.learner_dir.resolve()
        path = (root / relative)
        try:
            real = path.resolve()
        except OSError:
            return None
        if not real.is_relative_to(root) or not real.is_file():
            return None
        with open(real, "rb") as f:
            return f.read(max_bytes).decode("utf-8", "replace")


@dataclass(frozen=True)
class ProjectChecks:
    """A project's Definition of Done as probes and judged checks."""

    package: str
    probes_module: str
    definition_of_done: tuple[str, ...]
    probes: tuple[Probe, ...]
    checks: tuple[Check, ...]
    inputs: Callable[[], dict[str, Any]] | None = None
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        names = {p.name for p in self.probes}
        for check in self.checks:
            if check.dod not in self.definition_of_done:
                raise ValueError(f"check {check.label!r} names an unknown DoD item "
                                 f"{check.dod!r}")
            if check.probe is not None and check.probe not in names:
                raise ValueError(f"check {check.label!r} reads unknown probe {check.probe!r}")
        empty = [d for d in self.definition_of_done if not any(c.dod == d for c in self.checks)]
        if empty:
            raise ValueError(f"DoD item(s) without a check: {empty}")

    @property
    def total_timeout_s(self) -> float:
        return sum(p.timeout_s + GRACE_S for p in self.probes) + 30.0

    def run(self, learner_dir: Path, *, timeout_s: float | None = None,
            mode: str | None = None,
            select: Callable[[Check], bool] | None = None) -> Iterator[CheckResult]:
        """Judge ``learner_dir``: one result per check, in order, as each is reached.

        ``mode`` is ``bubblewrap`` or ``fallback`` (default: what works here), or
        ``inprocess``: the probes run in this process, their data crossing through the
        same files. The toolkit never uses ``inprocess``; tests of broken variants do,
        because starting a sandbox per variant costs seconds each. ``select`` keeps only
        the checks it accepts (and runs only the probes they read).
        """
        runner = _Run(self, Path(learner_dir).resolve(), timeout_s or self.total_timeout_s,
                      mode or sandbox_mode(), select)
        try:
            yield from runner.results()
        finally:
            runner.close()


class _Run:
    """One check of one folder: starts sandboxes, collects probe data, judges in order."""

    def __init__(self, spec: ProjectChecks, learner_dir: Path, timeout_s: float,
                 mode: str, select: Callable[[Check], bool] | None = None) -> None:
        self.spec, self.learner_dir, self.mode = spec, learner_dir, mode
        self.checks = [c for c in spec.checks if select is None or select(c)]
        self.deadline = time.monotonic() + timeout_s
        self.tmp = tempfile.TemporaryDirectory(prefix="buildreal-check-")
        self.work = Path(self.tmp.name)
        self.out = self.work / "out"
        self.out.mkdir()
        self.outcomes: dict[str, _Outcome] = {}
        self.inputs: dict[str, Any] = {}
        self.notes: list[str] = []  # sandbox notes for the whole run, shown with failures
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the loop ---------------------------------------------------------------

    def results(self) -> Iterator[CheckResult]:
        needed = {c.probe for c in self.checks if c.probe}
        pending = [p for p in self.spec.probes if p.name in needed]
        try:
            self._write_inputs()
        except Failed as exc:
            for p in pending:
                self.outcomes[p.name] = _Outcome(None, str(exc), exc.detail)
            pending = []
        checks = list(self.checks)
        if self.mode == "inprocess":
            yield from self._inprocess(pending, checks)
            return
        attempt = 0
        while True:
            while checks and (checks[0].probe is None or checks[0].probe in self.outcomes):
                yield self._judge(checks.pop(0))
            if not checks:
                return
            attempt += 1
            yield from self._session(pending, checks, attempt)

    def _session(self, pending: list[Probe], checks: list[Check],
                 attempt: int) -> Iterator[CheckResult]:
        """Run the pending probes in one sandbox; yields verdicts as data arrives."""
        job = self._write_job(pending, attempt)
        box: dict[str, RunResult | BaseException] = {}
        probe_started = [time.monotonic()]
        overran: list[Probe] = []
        self._stop.clear()

        def poll() -> bool:
            return self._stop.is_set()

        def target() -> None:
            try:
                box["result"] = self._execute(job, poll)
            except BaseException as exc:  # noqa: BLE001 - reported below
                box["result"] = exc

        self._thread = threading.Thread(target=target, daemon=True)
        self._thread.start()
        while True:
            running = self._thread.is_alive()
            if self._collect(pending):
                probe_started[0] = time.monotonic()
                while checks and (checks[0].probe is None or checks[0].probe in self.outcomes):
                    yield self._judge(checks.pop(0))
            if not running or not pending:
                break
            now = time.monotonic()
            if now - probe_started[0] > pending[0].timeout_s + GRACE_S:
                overran.append(pending[0])
                self._stop.set()
            elif now > self.deadline:
                self._stop.set()
            self._thread.join(timeout=0.05)  # wakes at once when the sandbox ends
        self._stop.set()
        self._thread.join()
        self._collect(pending)
        result = box.get("result")
        if isinstance(result, BaseException):
            raise result
        if not pending:
            return
        if time.monotonic() > self.deadline:
            lost, why = list(pending), self._lost_reason(result, None, whole=True)
        else:
            lost = [pending[0]]
            why = self._lost_reason(result, overran[0] if overran else None, whole=False)
        for probe in lost:
            pending.remove(probe)
            self.outcomes[probe.name] = _Outcome(None, why, _tail(result))

    def _inprocess(self, pending: list[Probe], checks: list[Check]) -> Iterator[CheckResult]:
        """Tests only: each probe runs here when the next check needs it (so a test that
        stops after one item runs only the probes that item reads)."""
        from buildreal.projects.probe_child import run_job

        while checks:
            if checks[0].probe is None or checks[0].probe in self.outcomes:
                yield self._judge(checks.pop(0))
                continue
            job = json.loads(self._write_job([pending[0]], len(self.outcomes)).read_text())
            run_job(job)
            self._collect(pending)

    def _execute(self, job: Path, poll: Callable[[], bool]) -> RunResult | None:
        limits = replace(self.spec.limits,
                         wall_seconds=max(1.0, self.deadline - time.monotonic()),
                         cpu_seconds=int(self.spec.total_timeout_s))
        result = run_sandboxed(
            [sys.executable, "-m", "buildreal.projects.probe_child", str(job)],
            writable=[self.learner_dir, self.out], readable=[self.work / "inputs", job],
            cwd=self.learner_dir, limits=limits, mode=self.mode, poll=poll)
        for note in result.notes:
            if note not in self.notes:
                self.notes.append(note)
        return result

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.tmp.cleanup()

    # --- files crossing the boundary ---------------------------------------------

    def _write_inputs(self) -> None:
        folder = self.work / "inputs"
        folder.mkdir()
        if self.spec.inputs is None:
            return
        values = self.spec.inputs()
        meta = {}
        for name, value in values.items():
            if isinstance(value, np.ndarray):
                np.save(folder / f"{name}.npy", value, allow_pickle=False)
                value.setflags(write=False)
            else:
                meta[name] = value
        (folder / "inputs.json").write_text(json.dumps(meta), encoding="utf-8")
        self.inputs = values

    def _write_job(self, probes: list[Probe], attempt: int) -> Path:
        job = {"learner_dir": str(self.learner_dir), "package": self.spec.package,
               "probes_module": self.spec.probes_module, "out": str(self.out),
               "inputs": str(self.work / "inputs"),
               "scratch": str(self.work / "scratch") if self.mode == "inprocess"
               else "/tmp/scratch" if self.mode == "bubblewrap" else None,
               "probes": [{"name": p.name, "timeout_s": p.timeout_s} for p in probes]}
        if job["scratch"] is None:
            scratch = self.work / f"scratch-{attempt}"
            scratch.mkdir()
            os.chmod(scratch, 0o700)
            job["scratch"] = str(scratch)
        path = self.work / f"job-{attempt}.json"
        path.write_text(json.dumps(job), encoding="utf-8")
        return path

    def _collect(self, pending: list[Probe]) -> bool:
        """Move completed probes, in order, from ``pending`` to ``outcomes``."""
        moved = False
        while pending:
            outcome = _read_outcome(self.out, pending[0].name)
            if outcome is None:
                break
            self.outcomes[pending.pop(0).name] = outcome
            moved = True
        return moved

    # --- verdicts ------------------------------------------------------------------

    def _judge(self, check: Check) -> CheckResult:
        def result(passed: bool, reason: str, detail: str = "") -> CheckResult:
            return CheckResult(check.dod, passed, short(reason, 600), check.hint_layer,
                               _clip_detail(detail), check=check.label)

        outcome = self.outcomes.get(check.probe) if check.probe else _Outcome({})
        assert outcome is not None
        if outcome.data is None:
            from buildreal.projects.explain import explain_text

            notes = explain_text(f"{outcome.failure}\n{outcome.detail}", self.spec.limits,
                                 [self.learner_dir])
            return result(False, "; ".join([outcome.failure, *notes]), outcome.detail)
        evidence = Evidence(outcome.data, self.inputs, self.learner_dir, check.probe)
        try:
            reason = check.judge(evidence)
        except Failed as verdict:
            return result(False, str(verdict), verdict.detail)
        except Exception as exc:  # malformed data from learner code must not crash the tool
            return result(False, "the check could not make sense of what your code returned "
                          f"({type(exc).__name__}: {short(str(exc), 160)})")
        return result(True, reason)

    def _lost_reason(self, result: RunResult | None, overran: Probe | None,
                     whole: bool) -> str:
        if whole:
            why = "not judged: the whole check ran out of time"
        elif overran is not None:
            why = (f"not judged: your code was still running after {overran.timeout_s:g} s "
                   "and was stopped (an infinite loop, or far too slow?)")
        elif result is None:
            why = "not judged: the probe ended without a result"
        elif result.returncode is not None:
            why = (f"not judged: the check process ended early with exit code "
                   f"{result.returncode} (did your code call sys.exit or os._exit, or "
                   "crash the interpreter?)")
        else:
            why = f"not judged: the check process was killed by signal {result.signal}"
        notes = [n for n in (result.notes if result else []) if not n.startswith("bubblewrap")]
        return why + ("; " + "; ".join(notes) if notes else "")


def _tail(result: RunResult | None) -> str:
    if result is None:
        return ""
    return "\n".join(result.output_tail.strip().splitlines()[-6:])


def _clip_detail(detail: str) -> str:
    lines = [short(line, 200) for line in detail.splitlines()[-8:]]
    return "\n".join(lines)


def _read_outcome(out: Path, name: str) -> _Outcome | None:
    """A completed probe's outcome, read without following links the child planted."""
    try:
        dir_fd = os.open(out / name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        raw = _read_file(dir_fd, "data.json", MAX_JSON)
        if raw is None:
            return None
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested forgeries
            return _Outcome(None, _TAMPERED)
        if not isinstance(payload, dict):
            return _Outcome(None, _TAMPERED)
        if "ok" not in payload:
            return _Outcome(None, str(payload.get("failed", "the probe failed")),
                            str(payload.get("detail", "")))
        try:
            data = _restore(payload["ok"], dir_fd)
        except (OSError, ValueError, RecursionError) as exc:
            return _Outcome(None, f"the probe's data could not be read ({short(str(exc))})")
        if not isinstance(data, dict):
            return _Outcome(None, "the probe returned no mapping of results")
        return _Outcome(data)
    finally:
        os.close(dir_fd)


def _read_file(dir_fd: int, name: str, limit: int) -> bytes | None:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as f:
        if os.fstat(f.fileno()).st_size > limit:
            raise ValueError(f"{name} is larger than {limit // 2**20} MB")
        return f.read(limit + 1)


def _restore(value: Any, dir_fd: int) -> Any:
    if isinstance(value, list):
        return [_restore(v, dir_fd) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__array__"}:
            name = str(value["__array__"])
            if not _ARRAY_NAME.match(name):
                raise ValueError(f"unexpected array file name {name!r}")
            raw = _read_file(dir_fd, name, MAX_ARRAY)
            if raw is None:
                raise ValueError(f"{name} is missing")
            import io

            return np.load(io.BytesIO(raw), allow_pickle=False)
        if set(value) == {"__float__"}:
            return float(value["__float__"]) if value["__float__"] in ("nan", "inf", "-inf") \
                else math.nan
        return {k: _restore(v, dir_fd) for k, v in value.items()}
    return value
