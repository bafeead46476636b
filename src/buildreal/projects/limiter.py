"""The first code that runs inside a sandbox: limits, then the command, then the sweep.

Run as ``python -I -S limiter.py LIMITS STATUS_FD -- COMMAND...`` where LIMITS is
``memory_bytes=N,cpu_seconds=N,file_bytes=N,processes=N`` (``-S``: nothing from
site-packages is imported, so this file uses the standard library only, and not even
``json``, whose import alone costs more than the rest of the start-up). It

1. sets the resource limits on itself, so that they hold for everything it starts and no
   learner code runs before them (``RLIMIT_NPROC`` counts the tasks this user already
   has, so the limit is set to that count plus the allowance);
2. becomes a child subreaper: processes orphaned below it (a ``setsid`` daemon, a fork
   bomb's children) are re-parented to it instead of escaping to init;
3. runs COMMAND as its child and waits for it;
4. kills every process still running below it, and reports the command's exit status
   and the number of leftovers as one ``key=value`` line on STATUS_FD (closed in the
   command, so the learner's code cannot write there).

SIGTERM from the parent (a time limit, an output cap) also triggers step 4.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

PR_SET_CHILD_SUBREAPER = 36


def _own_tasks() -> int:
    """Tasks (threads included, as the kernel counts them) owned by this real uid."""
    uid, count = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                count += len(os.listdir(f"/proc/{entry}/task"))
        except OSError:
            continue
    return count


def _set_limits(config: dict[str, int]) -> None:
    pairs = {
        "memory_bytes": resource.RLIMIT_AS,
        "file_bytes": resource.RLIMIT_FSIZE,
    }
    for key, which in pairs.items():
        if config.get(key):
            resource.setrlimit(which, (config[key], config[key]))
    if config.get("cpu_seconds"):
        cpu = config["cpu_seconds"]
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    if config.get("processes"):
        # root is exempt from RLIMIT_NPROC (the parent's pids cgroup bounds it instead),
        # so only count this user's tasks where the limit will be enforced
        nproc = config["processes"] + (_own_tasks() if os.getuid() != 0 else 0)
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _descendants() -> list[int]:
    """Every process below this one, found through /proc's parent links."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _sweep() -> int:
    """Kill and reap everything below; returns how many processes were still running."""
    killed: set[int] = set()
    for _ in range(50):  # a fork bomb may still be forking while it is being killed
        pids = [p for p in _descendants() if p not in killed or _alive(p)]
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
        _reap()
    _reap()
    return len(killed)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return b") Z" not in f.read()
    except OSError:
        return False


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main(argv: list[str]) -> int:
    config = {k: int(v) for k, v in (pair.split("=") for pair in argv[1].split(",") if pair)}
    status_fd, command = int(argv[2]), argv[4:]
    _set_limits(config)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the process group is all there is
    child = os.fork()
    if child == 0:
        os.close(status_fd)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    stopping = []

    def _stop(signum: int, frame: object) -> None:
        stopping.append(signum)
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, _stop)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            status = 0
            break
    leftover = _sweep()
    code = os.waitstatus_to_exitcode(status)
    report = (f"returncode={code if code >= 0 else ''} signal={-code if code < 0 else ''} "
              f"leftover={leftover} stopped={int(bool(stopping))}")
    try:
        os.write(status_fd, (report + "\n").encode())
    except OSError:
        pass
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
