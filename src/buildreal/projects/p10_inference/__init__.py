"""Project 10: export the Project 3 CNN to ONNX, serve it with FastAPI, benchmark it, and
watch its inputs and predictions for drift.

The reference solution lives in ``reference/serving/`` in the same shape as the learner's
starter (``starter/serving/``); ``checks`` judges either one; ``cli`` is
``run_inference_service``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p10_inference.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """Run ``run_inference_service`` with the given arguments (the reference)."""
    from buildreal.projects.p10_inference.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p10-inference",
    number=10,
    title="Project 10: Production inference and monitoring service",
    difficulty="Expert",
    hours="20-30",
    summary="The Fashion-MNIST CNN exported to ONNX and validated, served by FastAPI with "
    "Prometheus metrics, benchmarked against PyTorch, and watched for drift with PSI and "
    "KS tests that trigger retraining.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_inference_service",),
    definition_of_done=DOD,
    check_timeout_s=300.0,
)
