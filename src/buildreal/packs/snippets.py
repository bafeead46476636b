"""The runnable Python in a pack's Markdown, and running one block.

Code in a lesson is checked like code: each fenced ``python`` block (unless marked
``python no-run``) runs alone in a fresh interpreter, from an empty temporary folder,
with a time limit. The test suite runs every block of every bundled course. Blocks whose
output the page shows (``python exec``, the code of a ``::: predict``) are run by the pack
build instead (:mod:`buildreal.packs.execute`), so they are not listed here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from buildreal.packs.execute import executed_code
from buildreal.packs.markdown import NO_RUN, PYTHON_LANGUAGES, code_blocks, shared_parser
from buildreal.packs.model import Course
from buildreal.packs.yamlsrc import split_front_matter


@dataclass(frozen=True)
class Snippet:
    item_id: str
    path: Path
    line: int  # the line of the opening fence in ``path``
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def _body_line(path: Path) -> int:
    split, _problems = split_front_matter(path.read_text(encoding="utf-8"), path)
    return split.body_line if split else 1


def python_blocks(course: Course) -> list[Snippet]:
    """Every plain runnable Python block of the course's Markdown items, in course order
    (not the executed ones, whose outputs the pack build makes)."""
    snippets: list[Snippet] = []
    for item in course.items():
        if item.kind not in ("lesson", "page", "synthesis") or not item.body:
            continue
        first = _body_line(item.source.path)
        executed = {line for _code, line, _predict in executed_code(item.body)}
        for language, flags, code, line in code_blocks(shared_parser().parse(item.body)):
            if language in PYTHON_LANGUAGES and NO_RUN not in flags and line not in executed:
                snippets.append(Snippet(item.id, item.source.path, first + line, code))
    return snippets


def run_snippet(snippet: Snippet, timeout: float = 60) -> tuple[bool, str]:
    """Run one block in a fresh interpreter; return (succeeded, stdout and stderr)."""
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryDirectory(prefix="buildreal-snippet-") as workdir:
        script = Path(workdir) / f"{snippet.item_id}_line{snippet.line}.py"
        script.write_text(snippet.code, encoding="utf-8")
        try:
            result = subprocess.run(
                [sys.executable, str(script)], cwd=workdir, env=env, capture_output=True,
                text=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired as exc:
            output = (exc.stdout or b"")
            text = output.decode(errors="replace") if isinstance(output, bytes) else output
            return False, f"{text}\ntimed out after {timeout:g} s"
    return result.returncode == 0, result.stdout + result.stderr
