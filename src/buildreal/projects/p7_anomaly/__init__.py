"""Project 7: an autoencoder anomaly detector on tabular outlier sets (and Fashion-MNIST).

The reference solution lives in ``reference/anomaly/`` in the same shape as the learner's
starter (``starter/anomaly/``); ``checks`` judges either one; ``cli`` is
``run_anomaly_detector``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p7_anomaly.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """Run ``run_anomaly_detector`` with the given arguments (the reference)."""
    from buildreal.projects.p7_anomaly.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p7-anomaly",
    number=7,
    title="Project 7: Autoencoder anomaly detector",
    difficulty="Advanced",
    hours="10-15",
    summary="An MLP autoencoder trained on normal rows only flags anomalies by "
    "reconstruction error; a threshold chosen on validation, and the false positives read.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_anomaly_detector",),
    definition_of_done=DOD,
    check_timeout_s=300.0,
)
