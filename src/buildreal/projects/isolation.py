"""Run a command on a learner's code with the least the code needs and nothing more.

Two modes, chosen by :func:`sandbox_mode`:

- ``bubblewrap``: ``bwrap`` with new user, PID, network, IPC and UTS namespaces; a
  read-only view of the Python installation, the ``buildreal`` package and a few files
  from ``/etc`` only; the paths given as ``writable`` bound read-write; a private
  ``/tmp`` (tmpfs) holding a temporary ``HOME``. No network exists inside.
- ``fallback`` (no ``bwrap``, or user namespaces disabled): the command runs as an
  ordinary child in its own process group, with the same limits and an emptied
  environment, and the output says that the file system and the network were not
  isolated.

In both, :mod:`buildreal.projects.limiter` runs first inside: it sets the resource limits
and kills whatever the command leaves running. The parent streams the output through a
bounded buffer and stops the run when it prints more than ``Limits.output_bytes`` or runs
past ``Limits.wall_seconds``. When the checks run as root (the kernel does not apply the
process limit to root) a ``pids`` cgroup bounds the process count, where one can be made.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import buildreal

GB = 2**30
MB = 2**20
LIMITER = Path(__file__).with_name("limiter.py")
FALLBACK_NOTE = ("bubblewrap is not available here, so your code ran without file-system "
                 "and network isolation (limits on memory, CPU time, processes and output "
                 "still applied)")
_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/fonts",
        "/etc/localtime", "/etc/alternatives", "/etc/mime.types")


@dataclass(frozen=True)
class Limits:
    """What one sandboxed run may use. Tests shrink these; the behaviour is the same."""

    memory_bytes: int = 4 * GB  # address space of each process
    cpu_seconds: int = 600  # CPU time of each process
    file_bytes: int = 256 * MB  # largest file it may write
    processes: int = 200  # processes and threads at once
    output_bytes: int = 4 * MB  # printed output before the run is stopped
    wall_seconds: float = 300.0
    tmp_bytes: int = 512 * MB  # the private /tmp (bubblewrap mode)


@dataclass
class RunResult:
    """How a sandboxed run ended, with the learner-facing notes on what was stopped."""

    mode: str  # "bubblewrap" or "fallback"
    returncode: int | None  # the command's exit code; None when killed by a signal
    signal: int | None
    output_tail: str  # the last 4,000 characters of stdout and stderr
    output_bytes: int
    timed_out: bool = False
    output_capped: bool = False
    leftover: int = 0  # processes still running when the command ended, then killed
    notes: list[str] = field(default_factory=list)


@functools.cache
def _bwrap_works() -> bool:
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return False
    try:
        probe = subprocess.run(
            [bwrap, *_namespace_args(), "--ro-bind", "/", "/", "true"],
            capture_output=True, timeout=20, env={"PATH": "/usr/bin:/bin"})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def sandbox_mode() -> str:
    """``bubblewrap`` when bwrap can create its namespaces here, else ``fallback``.

    ``BUILDREAL_SANDBOX=fallback`` forces the fallback (tests of it, machines where bwrap
    misbehaves); ``bubblewrap`` demands it and fails loudly where it cannot run.
    """
    forced = os.environ.get("BUILDREAL_SANDBOX", "")
    if forced == "fallback":
        return "fallback"
    if forced == "bubblewrap" and not _bwrap_works():
        raise RuntimeError("BUILDREAL_SANDBOX=bubblewrap but bwrap cannot run here "
                           "(not installed, or user namespaces are disabled)")
    return "bubblewrap" if _bwrap_works() else "fallback"


def _namespace_args() -> list[str]:
    args = ["--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc",
            "--unshare-uts", "--unshare-cgroup-try", "--disable-userns", "--die-with-parent",
            "--new-session"]
    if os.geteuid() == 0:  # bwrap run by root keeps every capability unless told not to
        args += ["--cap-drop", "ALL"]
    return args


def _python_paths() -> list[Path]:
    """What the interpreter needs to start and import numpy, torch and buildreal."""
    package = Path(buildreal.__file__).resolve().parent
    roots = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots.add(Path(sys.executable).resolve().parent.parent)
    paths = sorted(roots)
    for entry in sys.path:
        if not entry or not Path(entry).is_dir():
            continue
        p = Path(entry).resolve()
        if any(p.is_relative_to(r) for r in paths):
            continue
        if (p / "buildreal").resolve() == package:  # the source checkout: the package only
            continue
        paths.append(p)
    if not any(package.is_relative_to(r) for r in paths):
        paths.append(package)
    return paths


def _bwrap_args(writable: Sequence[Path], readable: Sequence[Path], cwd: Path,
                limits: Limits) -> list[str]:
    args = [shutil.which("bwrap") or "bwrap", *_namespace_args()]
    for top in ("usr",):
        args += ["--ro-bind", f"/{top}", f"/{top}"]
    for link in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / link
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), f"/{link}"]
        elif host.is_dir():
            args += ["--ro-bind", str(host), f"/{link}"]
    for path in _ETC:
        args += ["--ro-bind-try", path, path]
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp", "--dir", "/tmp/home"]
    for path in _python_paths():
        args += ["--ro-bind", str(path), str(path)]
    for path in readable:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    args += ["--chdir", str(cwd)]
    return args


def _environment(home: str, extra: dict[str, str] | None) -> dict[str, str]:
    """An emptied environment: nothing of the caller's (tokens, keys, paths) leaks in."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "USER": "learner",
        "LOGNAME": "learner", "LANG": "C.UTF-8", "TMPDIR": "/tmp" if home.startswith("/tmp/")
        else str(Path(home).parent), "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1",
        "PYTHONHASHSEED": "0",
    }
    env.update(extra or {})
    return env


class _PidsCgroup:
    """A ``pids`` cgroup bounding the process count, for root, where the kernel ignores
    ``RLIMIT_NPROC``. Absent (``path`` None) where none can be created."""

    ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))

    def __init__(self, limit: int) -> None:
        self.path: Path | None = None
        if os.geteuid() != 0 or limit <= 0:
            return
        for root in self.ROOTS:
            if not (root / "cgroup.procs").exists():
                continue
            candidate = root / f"buildreal-sandbox-{uuid.uuid4().hex[:12]}"
            try:
                candidate.mkdir()
                (candidate / "pids.max").write_text(str(limit))
            except OSError:
                try:
                    candidate.rmdir()
                except OSError:
                    pass
                continue
            self.path = candidate
            return

    def enter(self) -> None:  # runs in the child between fork and exec
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def kill_all(self) -> int:
        if self.path is None:
            return 0
        killed = 0
        for _ in range(20):
            try:
                pids = [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                return killed
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except ProcessLookupError:
                    pass
            time.sleep(0.02)
        return killed

    def remove(self) -> None:
        if self.path is None:
            return
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.02)


class _Tail:
    """Reads a pipe to its end keeping only the last ``keep`` characters, and counts."""

    def __init__(self, stream: int, cap: int, keep: int = 4000) -> None:
        self.bytes = 0
        self._cap = cap
        self._chunks: deque[bytes] = deque()
        self._kept = 0
        self._keep = keep
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, fd: int) -> None:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.bytes += len(chunk)
            if self.bytes > self._cap:  # stop reading: the writer blocks until it is killed
                break
            self._chunks.append(chunk)
            self._kept += len(chunk)
            while self._kept - len(self._chunks[0]) >= self._keep:
                self._kept -= len(self._chunks.popleft())
        os.close(fd)

    def text(self) -> str:
        self._thread.join(timeout=2)
        return b"".join(self._chunks)[-self._keep:].decode("utf-8", "replace")


def run_sandboxed(
    command: Sequence[str],
    *,
    writable: Sequence[Path] = (),
    readable: Sequence[Path] = (),
    cwd: Path,
    limits: Limits = Limits(),  # noqa: B008 - frozen
    env: dict[str, str] | None = None,
    mode: str | None = None,
    poll: Callable[[], bool] | None = None,
) -> RunResult:
    """Run ``command`` (its first word an absolute path) and return how it ended.

    ``writable`` and ``readable`` are host paths the command may see (in bubblewrap mode
    nothing else of the file system is visible apart from the Python installation).
    ``poll`` is called about every 50 ms while the command runs; returning True stops
    it (the check runner uses this for per-probe time limits). ``mode="none"`` runs the
    command as a plain child with no limits: the unsandboxed baseline of
    ``benchmarks/sandbox.py``, never used to judge anyone.
    """
    mode = mode or sandbox_mode()
    writable = [Path(p).resolve() for p in writable]
    readable = [Path(p).resolve() for p in readable]
    config = (f"memory_bytes={limits.memory_bytes},cpu_seconds={limits.cpu_seconds},"
              f"file_bytes={limits.file_bytes},processes={limits.processes}")
    status_r, status_w = os.pipe()
    out_r, out_w = os.pipe()
    # the learner's processes, plus the limiter (and bwrap and its init)
    cgroup = _PidsCgroup(limits.processes + (3 if mode == "bubblewrap" else 1)) \
        if mode != "none" else _PidsCgroup(0)
    with tempfile.TemporaryDirectory(prefix="buildreal-home-") as host_home:
        if mode == "bubblewrap":
            prefix = _bwrap_args(writable, readable, Path(cwd).resolve(), limits)
            environment = _environment("/tmp/home", env)
        else:
            prefix = []
            environment = _environment(host_home, env)
        full = [*prefix, sys.executable, "-I", "-S", str(LIMITER), config,
                str(status_w), "--", *command]
        if mode == "none":  # benchmarks/sandbox.py's baseline only: no isolation at all
            full = list(command)  # (the same environment, so thread settings match)
        started = time.monotonic()
        proc = subprocess.Popen(
            full, cwd=str(cwd), env=environment, stdin=subprocess.DEVNULL, stdout=out_w,
            stderr=out_w, pass_fds=(status_w,), start_new_session=True,
            preexec_fn=cgroup.enter if cgroup.path else None)
        os.close(out_w)
        os.close(status_w)
        tail = _Tail(out_r, limits.output_bytes)
        timed_out = capped = stopped = False
        while proc.poll() is None:
            if tail.bytes > limits.output_bytes:
                capped = True
            elif time.monotonic() - started > limits.wall_seconds:
                timed_out = True
            elif poll is not None and poll():
                stopped = True
            if capped or timed_out or stopped:
                _stop(proc)
                break
            try:
                proc.wait(timeout=0.05)  # returns as soon as the command ends
            except subprocess.TimeoutExpired:
                pass
        proc.wait()
        capped = capped or tail.bytes > limits.output_bytes  # it may die of the closed pipe
        extra_killed = cgroup.kill_all()
        cgroup.remove()
        with os.fdopen(status_r, "rb") as status_pipe:
            raw = status_pipe.read(4096)
        output = tail.text()
    return _result(mode, raw, proc.returncode, output, tail.bytes, timed_out, capped,
                   extra_killed, limits, [*writable, *readable])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Ask the limiter to kill its tree, then kill the whole group regardless."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _result(mode: str, raw: bytes, fallback_code: int, output: str, nbytes: int,
            timed_out: bool, capped: bool, extra_killed: int, limits: Limits,
            roots: Sequence[Path]) -> RunResult:
    from buildreal.projects.explain import explain_run

    status = _parse_status(raw)
    code = status.get("returncode", fallback_code if fallback_code >= 0 else None)
    sig = status.get("signal", -fallback_code if fallback_code < 0 else None)
    result = RunResult(mode, code, sig, output, nbytes, timed_out, capped,
                       int(status.get("leftover", 0)) + extra_killed)
    result.notes = explain_run(result, limits, roots)
    if mode != "bubblewrap":
        result.notes.insert(0, FALLBACK_NOTE)
    return result


def _parse_status(raw: bytes) -> dict[str, int | None]:
    """The limiter's ``key=value`` status line; empty when it never wrote one."""
    try:
        line = raw.decode().splitlines()[0]
        pairs = dict(item.split("=", 1) for item in line.split())
        return {k: int(v) if v else None for k, v in pairs.items()}
    except (ValueError, IndexError, UnicodeDecodeError):
        return {}


def describe(result: RunResult) -> dict[str, object]:
    """The run as plain data (for logs and the submission payload)."""
    return asdict(result)
