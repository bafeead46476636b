"""What every project gives the toolkit: a spec, a starter, a reference and DoD checks.

Each project lives in its own package ``buildreal.projects.<id_with_underscores>`` (for
``p1-autodiff``: ``buildreal.projects.p1_autodiff``) and exposes ``PROJECT``, a
:class:`ProjectSpec`. The toolkit (``buildreal project list|start|check|demo``) knows
projects only through this interface, so the projects can be written independently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from buildreal.projects.checking import ProjectChecks


@dataclass(frozen=True)
class CheckResult:
    """One Definition-of-Done item, judged."""

    dod: str  # the DoD item, as the project page words it
    passed: bool
    reason: str  # short and specific: which op, by how much, at which step
    hint_layer: int = 1  # which hint layer on the project page helps next (1-based)
    detail: str = ""  # e.g. the last traceback frame in the learner's file
    check: str = ""  # the concrete verification under the DoD item ("" for old-style checks)


@dataclass(frozen=True)
class ProjectSpec:
    id: str  # "p1-autodiff"
    number: int
    title: str
    difficulty: str
    hours: str
    summary: str
    starter_dir: Path  # template files copied by `start`
    # run_checks(learner_dir) -> results; must never raise on the learner's bugs. A
    # generator is welcome: the runner records each result as it is yielded, so a check
    # that hangs later (a learner's infinite loop) keeps the verdicts already reached.
    run_checks: Callable[[Path], Iterable[CheckResult]]
    # demo(argv) -> exit code; runs the reference implementation
    demo: Callable[[Sequence[str]], int]
    console_scripts: tuple[str, ...] = field(default=())  # e.g. ("run_autodiff_demo",)
    # The DoD items in the order run_checks judges them. The runner names the ones left
    # unjudged when the learner's code hangs or kills the check process.
    definition_of_done: tuple[str, ...] = field(default=())
    check_timeout_s: float = 300.0  # wall-clock limit for the whole check process
    # Probe/judge checks (docs/projects/checks.md): when given, `run_checks` is
    # `checks.run` and the toolkit runs the learner's code only in the sandbox.
    checks: ProjectChecks | None = None
