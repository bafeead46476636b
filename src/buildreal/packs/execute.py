"""Executed code: run ```python exec`` and ``::: predict`` blocks once, keep what they show.

A lesson shows what its code prints, so the code must run somewhere; running it per
request would let a page view start a Python process, so it runs when the pack is built
instead. Each block runs alone in a fresh interpreter from an empty folder (like the
test suite's snippets); its printed text and the PNG/SVG files it saved are stored under
``<outputs>/<key>/``, where the key is the sha256 of the code and of this runner's
version. An unchanged block is never run twice; a changed one gets a new key. Failures are
not stored, so a fixed block or a flaky timeout is tried again next build.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from buildreal.packs.markdown import (
    EXEC,
    NO_RUN,
    PREDICT,
    PYTHON_LANGUAGES,
    fence_language,
    shared_parser,
    split_callout_info,
)
from buildreal.packs.model import Course
from buildreal.packs.yamlsrc import split_front_matter

RUNNER_VERSION = "1"  # bump when what is stored changes: every block runs again
TIMEOUT_S = 60
MAX_LINES = 200
MAX_CHARS = 20_000
MAX_FILES = 4
MAX_FILE_BYTES = 2_000_000
FILE_SUFFIXES = (".png", ".svg")
SCRIPT_NAME = "block.py"
RESULT_NAME = "output.json"
MARKDOWN_KINDS = ("lesson", "page", "synthesis")


@dataclass(frozen=True)
class ExecBlock:
    """One block whose output the page shows."""

    item_id: str
    path: Path
    line: int  # the line of the opening fence in ``path``
    code: str
    predict: bool  # the code of a ``::: predict`` (its output waits for the reveal)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class BlockOutput:
    """What one run printed and saved; ``files`` are names inside the key's folder."""

    key: str
    ok: bool
    text: str
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class BlockFailure:
    block: ExecBlock
    output: BlockOutput

    def __str__(self) -> str:
        return f"{self.block}: python block failed:\n{self.output.text[-1500:]}"


def block_key(code: str) -> str:
    """The cache key of a block: its code and the runner version, nothing else."""
    return hashlib.sha256(f"{RUNNER_VERSION}\0{code}".encode()).hexdigest()


def executed_code(text: str) -> list[tuple[str, int, bool]]:
    """``(code, 0-based fence line, in a predict)`` for each executed block of ``text``."""
    found: list[tuple[str, int, bool]] = []
    predict_levels: list[int] = []
    for token in shared_parser().parse(text):
        if token.type == "container_callout_open":
            if split_callout_info(token.info)[0] == PREDICT:
                predict_levels.append(token.level)
        elif token.type == "container_callout_close":
            if predict_levels and predict_levels[-1] == token.level:
                predict_levels.pop()
        elif token.type == "fence":
            language, flags = fence_language(token.info)
            if language not in PYTHON_LANGUAGES or NO_RUN in flags:
                continue
            inside = bool(predict_levels)
            if EXEC in flags or inside:
                found.append((token.content, token.map[0] if token.map else 0, inside))
    return found


def _body_line(path: Path) -> int:
    split, _problems = split_front_matter(path.read_text(encoding="utf-8"), path)
    return split.body_line if split else 1


def executed_blocks(course: Course) -> list[ExecBlock]:
    """Every ``python exec`` and predict block of the course, in course order."""
    blocks: list[ExecBlock] = []
    for item in course.items():
        if item.kind not in MARKDOWN_KINDS or not item.body:
            continue
        found = executed_code(item.body)
        if not found:
            continue
        first = _body_line(item.source.path)
        blocks.extend(ExecBlock(item.id, item.source.path, first + line, code, predict)
                      for code, line, predict in found)
    return blocks


def _clip(text: str) -> str:
    lines = text.splitlines(keepends=True)
    clipped = "".join(lines[:MAX_LINES])[:MAX_CHARS]
    if clipped != text:
        clipped = clipped.rstrip("\n") + "\n[... output cut: only the start is shown]\n"
    return clipped


def _saved_files(workdir: Path) -> list[Path]:
    found = sorted(p for p in workdir.iterdir()
                   if p.is_file() and p.suffix.lower() in FILE_SUFFIXES
                   and p.stat().st_size <= MAX_FILE_BYTES)
    return found[:MAX_FILES]


def _environment() -> dict[str, str]:
    # One thread per block: blocks run two at a time on small machines, and one thread
    # keeps floating-point reductions in the same order on every run.
    return dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
                OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")


def _finish(key: str, workdir: Path, store: Path, returncode: int | None, stdout: str,
            stderr: str, timeout: float) -> BlockOutput:
    if returncode is None:
        return BlockOutput(key, False, _clip(f"{stdout}\ntimed out after {timeout:g} s\n"))
    if returncode != 0:
        return BlockOutput(key, False, _clip(stdout + stderr))
    output = BlockOutput(key, True, _clip(stdout),
                         tuple(p.name for p in _saved_files(workdir)))
    _store(output, workdir, Path(store))
    return output


def run_block(code: str, store: Path, timeout: float = TIMEOUT_S) -> BlockOutput:
    """Run ``code`` alone in a fresh interpreter and, if it succeeds, store its output
    under ``store/<key>``."""
    key = block_key(code)
    with tempfile.TemporaryDirectory(prefix="buildreal-exec-") as tmp:
        workdir = Path(tmp)
        (workdir / SCRIPT_NAME).write_text(code, encoding="utf-8")
        try:
            result = subprocess.run(
                [sys.executable, SCRIPT_NAME], cwd=workdir, env=_environment(),
                capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            partial = exc.stdout or ""
            text = partial.decode(errors="replace") if isinstance(partial, bytes) else partial
            return _finish(key, workdir, store, None, text, "", timeout)
        return _finish(key, workdir, store, result.returncode, result.stdout, result.stderr,
                       timeout)


class WarmRunner:
    """One ``python -m buildreal.packs.warm`` process: blocks run as forks of a parent
    that has imported numpy, torch and matplotlib once (see :mod:`buildreal.packs.warm`).
    Falls back to :func:`run_block` if the runner cannot start or dies."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        if not hasattr(os, "fork"):
            return
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "buildreal.packs.warm"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, env=_environment(), text=True)
            ready = self.process.stdout.readline() if self.process.stdout else ""
            if "ready" not in ready:
                self.close()
        except OSError:
            self.process = None

    def run(self, code: str, store: Path, timeout: float = TIMEOUT_S) -> BlockOutput:
        process = self.process
        if process is None or process.stdin is None or process.stdout is None:
            return run_block(code, store, timeout)
        key = block_key(code)
        with tempfile.TemporaryDirectory(prefix="buildreal-exec-") as tmp, \
                tempfile.TemporaryDirectory(prefix="buildreal-exec-out-") as streams:
            workdir = Path(tmp)
            (workdir / SCRIPT_NAME).write_text(code, encoding="utf-8")
            out, err = Path(streams) / "stdout", Path(streams) / "stderr"
            request = {"workdir": str(workdir), "script": SCRIPT_NAME, "stdout": str(out),
                       "stderr": str(err), "timeout": timeout}
            try:
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.flush()
                answer = json.loads(process.stdout.readline())
            except (OSError, ValueError):
                self.close()
                return run_block(code, store, timeout)

            def read(path: Path) -> str:
                return path.read_text(encoding="utf-8", errors="replace") \
                    if path.is_file() else ""

            returncode = None if answer.get("timed_out") else int(answer["returncode"])
            return _finish(key, workdir, store, returncode, read(out), read(err), timeout)

    def close(self) -> None:
        if self.process is not None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


def _store(output: BlockOutput, workdir: Path, store: Path) -> None:
    """Write the output folder whole: build next to it, then rename into place."""
    store.mkdir(parents=True, exist_ok=True)
    final = store / output.key
    partial = store / f".{output.key}.{os.getpid()}-{threading.get_ident()}.partial"
    partial.mkdir()
    for name in output.files:
        shutil.copyfile(workdir / name, partial / name)
    (partial / RESULT_NAME).write_text(json.dumps(
        {"text": output.text, "files": list(output.files)}), encoding="utf-8")
    try:
        os.rename(partial, final)
    except OSError:  # another process stored the same block first: theirs is as good
        shutil.rmtree(partial, ignore_errors=True)


def load_output(store: Path, code: str) -> BlockOutput | None:
    """The stored output of ``code``, or None if it was never built (or built by another
    runner version)."""
    key = block_key(code)
    result = Path(store) / key / RESULT_NAME
    try:
        data = json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return BlockOutput(key, True, str(data.get("text", "")),
                       tuple(str(name) for name in data.get("files", [])))


def output_file(store: Path, key: str, name: str) -> Path | None:
    """A stored figure, only if ``key``/``name`` name one that the runner stored."""
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key) \
            or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = Path(store) / key / name
    return path if path.suffix.lower() in FILE_SUFFIXES and path.is_file() else None


_idle_runners: queue.Queue[WarmRunner] = queue.Queue()


def close_runners() -> None:
    """Stop the idle warm runners (a long-lived process calls this after building, so it
    does not keep torch loaded in two idle children)."""
    while True:
        try:
            _idle_runners.get_nowait().close()
        except queue.Empty:
            return


atexit.register(close_runners)


def run_many(codes: list[str], store: Path, *, jobs: int = 2,
             timeout: float = TIMEOUT_S) -> list[BlockOutput]:
    """Run blocks ``jobs`` at a time, each worker on a warm runner.

    Runners are kept for the life of the process (a test session builds several courses;
    each runner has imported torch once already) and closed at exit.
    """
    if not codes:
        return []

    def run(code: str) -> BlockOutput:
        try:
            runner = _idle_runners.get_nowait()
        except queue.Empty:
            runner = WarmRunner()
        try:
            return runner.run(code, store, timeout)
        finally:
            _idle_runners.put(runner)

    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(codes)))) as pool:
        return list(pool.map(run, codes))


@dataclass(frozen=True)
class BuildReport:
    ran: int
    cached: int
    failures: list[BlockFailure]


def build_outputs(blocks: list[ExecBlock], store: Path, *, jobs: int = 2,
                  timeout: float = TIMEOUT_S) -> BuildReport:
    """Run every block whose output is not stored yet, ``jobs`` at a time.

    The same code in two places runs once. Failures name every place the code appears.
    """
    store = Path(store)
    pending: dict[str, list[ExecBlock]] = {}
    cached = 0
    for block in blocks:
        if load_output(store, block.code) is not None:
            cached += 1
        else:
            pending.setdefault(block_key(block.code), []).append(block)
    groups = list(pending.values())
    results = run_many([group[0].code for group in groups], store, jobs=jobs,
                       timeout=timeout)
    failures = [BlockFailure(block, output)
                for group, output in zip(groups, results, strict=True) if not output.ok
                for block in group]
    failures.sort(key=lambda failure: (str(failure.block.path), failure.block.line))
    return BuildReport(ran=len(groups), cached=cached, failures=failures)
