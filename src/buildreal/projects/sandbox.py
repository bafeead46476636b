"""Import a learner's code and judge it without letting its bugs become the tool's bugs.

Project checks use three things from here:

- :func:`load_package` imports ``DIR/<name>/`` under a fresh module name, so two loads
  (the reference, then a learner's copy; or several broken variants in one test run)
  never see each other's modules;
- :class:`Judge` runs one Definition-of-Done item: a check function returns the reason it
  passed or raises :class:`Failed` with the reason it did not; any other exception is the
  learner's crash, reported as a failure with the last traceback frame in their files;
- :func:`learner_frame` finds that frame.

This module runs inside the check subprocess (see ``runner``), which is what protects the
tool from infinite loops and hard crashes; the per-item time limit here only keeps one
hanging item from costing the verdicts on the others.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import re
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from buildreal.projects.base import CheckResult

_load_counter = itertools.count(1)


class Failed(Exception):
    """A check's verdict: the learner's code ran but is wrong. The message is the reason;
    ``detail`` may carry the learner's traceback frame when a sub-case crashed."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.detail = detail


class CheckTimeout(Exception):
    """One DoD item ran past its time limit (the learner's code is looping or too slow)."""


class MissingCode(Failed):
    """The expected file or package is not in the learner's folder."""


def load_package(root: Path, name: str) -> ModuleType:
    """Import ``root/name/__init__.py`` as a package with a unique module name."""
    package_dir = root / name
    init = package_dir / "__init__.py"
    if not init.is_file():
        raise MissingCode(
            f"{init} not found. Run `buildreal project start` to write the starter, "
            f"or pass the folder that contains {name}/."
        )
    unique = f"_learner_{name}_{next(_load_counter)}"
    spec = importlib.util.spec_from_file_location(
        unique, init, submodule_search_locations=[str(package_dir)]
    )
    assert spec is not None and spec.loader is not None  # a file path always gives one
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[unique]
        raise
    return module


def submodule(package: ModuleType, name: str) -> ModuleType:
    """``package.name``, imported on demand (``engine`` of the learner's ``autodiff``)."""
    return importlib.import_module(f"{package.__name__}.{name}")


def require(module: ModuleType, *names: str) -> list[object]:
    """The named attributes of a learner module, or :class:`Failed` naming the missing."""
    missing = [n for n in names if not hasattr(module, n)]
    if missing:
        where = Path(module.__file__ or module.__name__).name
        raise MissingCode(f"{where} does not define {', '.join(missing)}")
    return [getattr(module, n) for n in names]


def learner_frame(exc: BaseException, learner_dir: Path) -> str:
    """The last traceback frame inside ``learner_dir``, as ``file:line in func: code``,
    followed by the exception; just the exception when no frame is the learner's."""
    root = learner_dir.resolve()
    last = None
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            path = Path(frame.filename).resolve()
        except OSError:
            continue
        if path.is_relative_to(root):
            last = (path.relative_to(root), frame)
    message = f"{type(exc).__name__}: {exc}"
    if last is None:
        return message
    rel, frame = last
    code = f": {frame.line.strip()}" if frame.line else ""
    return f"{rel}:{frame.lineno} in {frame.name}{code}\n{message}"


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CheckTimeout` after ``seconds`` (Unix main thread; a no-op elsewhere)."""
    usable = hasattr(signal, "setitimer") and _in_main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise CheckTimeout(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


class Judge:
    """Turns check functions into :class:`CheckResult` values for one learner folder."""

    def __init__(self, learner_dir: Path, item_time_limit_s: float = 90.0) -> None:
        self.learner_dir = learner_dir
        self.item_time_limit_s = item_time_limit_s

    def run(self, dod: str, hint_layer: int, check: Callable[[], str]) -> CheckResult:
        """Run ``check``; it returns why the item passed or raises :class:`Failed`."""
        try:
            with time_limit(self.item_time_limit_s):
                reason = check()
        except Failed as verdict:
            return CheckResult(dod, False, str(verdict), hint_layer, verdict.detail)
        except CheckTimeout as exc:
            return CheckResult(
                dod,
                False,
                f"{exc}: an infinite loop, or a loop over elements where NumPy would do?",
                hint_layer,
                learner_frame(exc, self.learner_dir),
            )
        except Exception as exc:  # the learner's crash is a verdict, never the tool's crash
            return CheckResult(
                dod,
                False,
                f"your code raised {type(exc).__name__}: {short(str(exc))}",
                hint_layer,
                learner_frame(exc, self.learner_dir),
            )
        return CheckResult(dod, True, reason, hint_layer)


def import_failure(exc: Exception, learner_dir: Path, package: str) -> tuple[str, str]:
    """(reason, detail) for a learner package that would not import.

    Every DoD item fails with the same reason then, so the checks of each project share
    this wording: a ``Failed`` carries its own message; anything else is the learner's
    exception, shown with the last frame in their file.
    """
    if isinstance(exc, Failed):
        return str(exc), ""
    reason = (f"importing your {package} package raised {type(exc).__name__}: "
              f"{short(str(exc))}")
    return reason, learner_frame(exc, learner_dir)


def read_notes(learner_dir: Path, *, write_what: str, explain_what: str,
               min_words: int = 150) -> tuple[str, int]:
    """The learner's NOTES.md and its word count, once it is written: present, free of
    TODO markers and at least ``min_words`` long. Each project then checks its own
    content in the text."""
    notes = learner_dir / "NOTES.md"
    if notes.exists() and not notes.resolve().is_relative_to(learner_dir.resolve()):
        raise Failed("NOTES.md links to a file outside your project folder; write it there")
    if not notes.is_file():
        raise Failed(f"NOTES.md is missing: write {write_what} there")
    text = notes.read_text(encoding="utf-8", errors="replace")
    todos = len(re.findall(r"\bTODO\b", text))
    if todos:
        raise Failed(f"NOTES.md still has {todos} TODO marker(s)")
    words = len(re.findall(r"[A-Za-z]{2,}", text))
    if words < min_words:
        raise Failed(f"NOTES.md has {words} words; explain {explain_what} in at least "
                     f"{min_words}")
    return text, words


def short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
