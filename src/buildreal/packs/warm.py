"""A warm runner for lesson code: import the heavy libraries once, fork a child per block.

Starting Python and importing torch costs about 2 s of CPU, more than most lesson blocks
take to run; with a hundred blocks that start-up dominated every build and test run. This
process imports numpy, torch and matplotlib (Agg) once, when the first block that uses
each needs it, then for each request forks a child that behaves like ``python block.py``
started in an empty folder: its own ``__main__``, ``sys.argv``, working folder, stdout
and stderr (redirected at the file descriptor level, so C extensions' output is caught
too), and nothing left behind for the next block, which gets a fresh fork of the
untouched parent.

Protocol (one JSON object per line): the client writes ``{"workdir", "script", "stdout",
"stderr", "timeout"}``; the runner answers ``{"returncode": int | null, "timed_out":
bool}`` once the child has finished or been killed. Run as ``python -m
buildreal.packs.warm``; POSIX only (the client falls back to a fresh interpreter).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from typing import Any

# What the parent may import on a block's behalf: a library is imported (once) just
# before the first block that uses it is forked, so blocks that never touch torch never
# pay for it, and every later torch block starts with it loaded.
PRELOAD = {"numpy": ("numpy",), "torch": ("torch",),
           "matplotlib": ("matplotlib", "matplotlib.pyplot")}
_IMPORTS = re.compile(r"^\s*(?:import|from)\s+(numpy|torch|matplotlib)\b", re.MULTILINE)
_POLL_S = 0.01


def _preload_for(script: str) -> None:
    try:
        code = open(script, encoding="utf-8").read()  # noqa: PTH123, SIM115
    except OSError:
        return
    for library in sorted(set(_IMPORTS.findall(code))):
        for name in PRELOAD[library]:
            if name in sys.modules:
                continue
            try:
                __import__(name)
            except ImportError:  # the block will say so itself
                pass


def _child(request: dict[str, Any]) -> None:
    """In the forked child: become ``python block.py`` and never return."""
    code = 1
    try:
        os.setpgid(0, 0)  # its own group: a timeout kills the workers it started too
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        os.chdir(request["workdir"])
        script = request["script"]
        sys.argv = [script]
        sys.path[0] = request["workdir"]
        import runpy
        try:
            runpy.run_path(script, run_name="__main__")
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:  # noqa: BLE001 - report anything, as python would
            import traceback

            traceback.print_exc()
            code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def run_one(request: dict[str, Any]) -> dict[str, Any]:
    """Fork a child for one block and wait for it, killing it at the time limit."""
    _preload_for(os.path.join(request["workdir"], request["script"]))
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(request)
    deadline = time.monotonic() + float(request["timeout"])
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return {"returncode": os.waitstatus_to_exitcode(status), "timed_out": False}
        if time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {"returncode": None, "timed_out": True}
        time.sleep(_POLL_S)


def main() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run_one(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
