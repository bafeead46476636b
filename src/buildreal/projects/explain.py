"""What the sandbox stopped, in words a learner can act on.

The sandbox sees only symptoms: an exit signal, a flag that the output or time ran over,
an error message in the learner's output. This module turns each into one sentence that
says what their code tried and what to do instead.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from buildreal.projects.isolation import Limits, RunResult

_MEMORY = ("MemoryError", "Cannot allocate memory", "can't allocate memory", "bad_alloc",
           "std::bad_alloc", "[Errno 12]")
_PROCESSES = ("Resource temporarily unavailable", "can't start new thread", "[Errno 11]")
_NETWORK = ("Network is unreachable", "[Errno 101]", "Temporary failure in name resolution",
            "Name or service not known", "[Errno -3]", "[Errno -2]",
            "Cannot assign requested address", "[Errno 99]", "Connection refused",
            "[Errno 111]")
_READ_ONLY = ("Read-only file system", "[Errno 30]")
_MISSING_PATH = re.compile(r"(?:No such file or directory|Permission denied): '(/[^']*)'")


def _mb(n: int) -> str:
    return f"{n / 2**20:g} MB"


def _gb(n: int) -> str:
    return f"{n / 2**30:g} GB"


def explain_text(text: str, limits: Limits, roots: Sequence[Path] = ()) -> list[str]:
    """Notes for the error messages found in ``text`` (an output tail or an exception)."""
    notes = []
    if any(s in text for s in _MEMORY):
        notes.append(f"your code ran out of memory: checks allow {_gb(limits.memory_bytes)}; "
                     "look for a tensor far larger than you meant, or a list that never "
                     "stops growing")
    if any(s in text for s in _PROCESSES):
        notes.append(f"your code tried to run more than {limits.processes} processes or "
                     "threads at once and was refused")
    if any(s in text for s in _NETWORK):
        notes.append("your code tried to use the network: checks run without network "
                     "access, so load data from files fetched beforehand "
                     "(`buildreal data fetch`)")
    if any(s in text for s in _READ_ONLY):
        notes.append("your code tried to write outside its folder: during checks only your "
                     "project folder and /tmp are writable")
    for match in _MISSING_PATH.finditer(text):
        path = Path(match.group(1))
        if roots and not any(path.is_relative_to(r) for r in roots):
            notes.append(f"your code tried to open {path}, which is outside your project "
                         "folder: checks let your code see only that folder (and an empty "
                         "/tmp)")
            break
    return notes


def explain_run(result: RunResult, limits: Limits, roots: Sequence[Path] = ()) -> list[str]:
    """Every note that applies to a finished run, most important first."""
    notes = []
    if result.output_capped:
        notes.append(f"your code printed more than {_mb(limits.output_bytes)}, so it was "
                     "stopped: print a summary every few steps, not every value")
    if result.timed_out:
        notes.append(f"your code was still running after {limits.wall_seconds:g} s and was "
                     "stopped (an infinite loop, or far too slow?)")
    if result.signal == signal.SIGXCPU:
        notes.append(f"your code used more than {limits.cpu_seconds} s of CPU time and was "
                     "stopped")
    if result.signal == signal.SIGXFSZ or "File too large" in result.output_tail:
        notes.append(f"your code tried to write a file larger than {_mb(limits.file_bytes)} "
                     "and was stopped")
    notes += explain_text(result.output_tail, limits, roots)
    if result.leftover:
        notes.append(f"{result.leftover} process(es) your code started were still running "
                     "after it finished; the checks stopped them (do not leave daemons or "
                     "background workers behind)")
    return notes
