"""Build a pack's figures by running its figure scripts.

Figures are code, not pasted images: ``figures/<name>.py`` is run as
``python figures/<name>.py OUTPUT`` from the course folder, with matplotlib's Agg
backend, and must write the figure to OUTPUT. Outputs are never committed; the site builds
them at set-up (and ``buildreal build-figures`` on demand). A script is re-run only when
its bytes changed since the output was built, so set-up stays quick.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

FIGURES_DIR = "figures"
DEFAULT_SUFFIX = ".svg"
SCRIPT_TIMEOUT_S = 180
_STDERR_TAIL_LINES = 20


@dataclass(frozen=True)
class FigureFailure:
    script: Path
    reason: str  # the exit status or timeout, then the tail of stderr

    def __str__(self) -> str:
        return f"{self.script}: {self.reason}"


class FigureError(Exception):
    """One or more figure scripts failed; ``failures`` says which and why."""

    def __init__(self, failures: list[FigureFailure]) -> None:
        self.failures = list(failures)
        super().__init__("figure scripts failed:\n" + "\n".join(str(f) for f in failures))


def figure_scripts(course_root: Path) -> list[Path]:
    """The figure scripts of a pack, sorted by name."""
    folder = Path(course_root) / FIGURES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def _wanted_suffixes(course_root: Path) -> dict[str, set[str]]:
    """Which formats the pack's text asks for, per figure name (``figures/x.png``)."""
    pattern = re.compile(r"figures/([A-Za-z0-9_.-]+?)(\.svg|\.png)\b")
    wanted: dict[str, set[str]] = {}
    for path in Path(course_root).rglob("*"):
        if path.suffix not in (".md", ".yaml", ".yml") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the validator reports unreadable files
        for name, suffix in pattern.findall(text):
            wanted.setdefault(name, set()).add(suffix)
    return wanted


def _stamp_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.source-sha256")


def _tail(text: str) -> str:
    lines = text.strip().splitlines()[-_STDERR_TAIL_LINES:]
    return "\n".join("    " + line for line in lines)


def _run_script(course_root: Path, script: Path, output: Path) -> FigureFailure | None:
    # A private partial name: several app servers may build the same figure at once, and
    # the rename below makes whichever finishes last win with a whole file.
    token = f"{os.getpid()}-{threading.get_ident()}"
    partial = output.with_name(f".{output.stem}.{token}.partial{output.suffix}")
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    relative = script.relative_to(course_root)
    try:
        result = subprocess.run(
            [sys.executable, str(relative), str(partial.resolve())],
            cwd=course_root, env=env, capture_output=True, text=True,
            timeout=SCRIPT_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired:
        partial.unlink(missing_ok=True)
        return FigureFailure(script, f"did not finish within {SCRIPT_TIMEOUT_S} s")
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        return FigureFailure(script, f"exited with status {result.returncode}:\n"
                                     f"{_tail(result.stderr)}")
    if not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        return FigureFailure(script, "ran without error but wrote nothing to the output "
                                     "path it was given (sys.argv[1])")
    os.replace(partial, output)
    return None


def _build_one(course_root: Path, script: Path, output: Path, digest: str,
               force: bool) -> FigureFailure | None:
    stamp = _stamp_path(output)
    up_to_date = output.is_file() and stamp.is_file() and stamp.read_text().strip() == digest
    if up_to_date and not force:
        return None
    failure = _run_script(course_root, script, output)
    if failure is None:
        stamp.write_text(digest + "\n")
    return failure


def build_figures(course_root: Path, out_dir: Path, *, force: bool = False,
                  jobs: int = 1) -> list[Path]:
    """Run every figure script whose output is missing or was built from other bytes.

    Returns the paths of all outputs (built now or already up to date), in script order.
    ``jobs`` scripts run at once (each is its own process). Raises :class:`FigureError`
    naming each failed script with the end of its stderr, after trying all of them.
    """
    course_root = Path(course_root).resolve()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = _wanted_suffixes(course_root)
    tasks: list[tuple[Path, Path, str]] = []
    for script in figure_scripts(course_root):
        digest = hashlib.sha256(script.read_bytes()).hexdigest()
        for suffix in sorted(wanted.get(script.stem, {DEFAULT_SUFFIX})):
            tasks.append((script, out_dir / f"{script.stem}{suffix}", digest))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(
            lambda task: _build_one(course_root, task[0], task[1], task[2], force), tasks))
    failures = [failure for failure in results if failure is not None]
    if failures:
        raise FigureError(failures)
    return [output for (_script, output, _digest), failure in zip(tasks, results, strict=True)
            if failure is None]
