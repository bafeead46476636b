"""Project 2: an optimizer playground on 2-D loss surfaces.

``reference/`` is the worked solution (laid out like the learner's ``playground/``),
``starter/`` what ``buildreal project start p2-optimizers`` writes, ``checks`` and
``mistakes`` the Definition of Done, ``playground`` the ``run_optimizer_playground``
command and ``report`` its written comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p2_optimizers.checks import CHECKS, DEFINITION_OF_DONE

HERE = Path(__file__).resolve().parent


def _demo(argv: Sequence[str]) -> int:
    from buildreal.projects.p2_optimizers.playground import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p2-optimizers",
    number=2,
    title="Project 2: Optimizer playground and loss landscapes",
    difficulty="Intermediate",
    hours="10-20",
    summary="Race SGD, momentum, Nesterov, RMSprop, Adam and AdamW over 2-D surfaces and "
    "explain the paths they take.",
    starter_dir=HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=_demo,
    console_scripts=("run_optimizer_playground",),
    definition_of_done=DEFINITION_OF_DONE,
    check_timeout_s=240.0,
)
