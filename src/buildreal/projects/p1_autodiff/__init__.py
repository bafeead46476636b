"""Project 1: a reverse-mode autodiff engine on NumPy arrays, and a tiny MLP.

``reference/`` is the worked solution (laid out like the learner's ``autodiff/``),
``starter/`` what ``buildreal project start p1-autodiff`` writes, ``checks`` the
Definition of Done and ``demo`` the ``run_autodiff_demo`` command.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p1_autodiff.checks import CHECKS, DEFINITION_OF_DONE

HERE = Path(__file__).resolve().parent


def _demo(argv: Sequence[str]) -> int:
    from buildreal.projects.p1_autodiff.demo import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p1-autodiff",
    number=1,
    title="Project 1: Autodiff engine and tiny MLP",
    difficulty="Advanced",
    hours="20-40",
    summary="Build reverse-mode autodiff on NumPy tensors and train a small MLP with it.",
    starter_dir=HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=_demo,
    console_scripts=("run_autodiff_demo",),
    definition_of_done=DEFINITION_OF_DONE,
    check_timeout_s=240.0,
)
