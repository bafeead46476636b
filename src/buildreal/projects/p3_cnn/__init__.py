"""Project 3: a CNN image classifier on Fashion-MNIST (and the same family on MNIST-1D).

The reference solution lives in ``reference/cnn/`` in the same shape as the learner's
starter (``starter/cnn/``); ``checks`` judges either one; ``cli`` is ``run_cnn_train``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p3_cnn.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """Run ``run_cnn_train`` with the given arguments (the reference implementation)."""
    from buildreal.projects.p3_cnn.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p3-cnn",
    number=3,
    title="Project 3: CNN image classifier",
    difficulty="Advanced",
    hours="10-15",
    summary="A small CNN on Fashion-MNIST with augmentation, batch norm, a schedule and "
    "early stopping; a confusion matrix that names the hardest classes.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_cnn_train",),
    definition_of_done=DOD,
    check_timeout_s=300.0,
)
