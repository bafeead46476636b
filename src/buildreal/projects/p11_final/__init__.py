"""The final project: a bilingual catalogue service built from Projects 3, 5, 6 and 10.

The Project 3 CNN becomes a backbone with two outputs (classes and an embedding),
trained reproducibly and tracked in MLflow, exported to ONNX; a FAISS index of its
embeddings answers "items like this one"; descriptions generated from its tags, embedded
by Project 6's encoder and bridged by Project 5's translator, answer text queries in
English or Spanish; Project 10's service, metrics and drift monitor watch it, and a
retraining hook promotes a better model only. ``reference/catalogue/`` is the reference
solution in the shape of the learner's starter; ``cli`` is ``buildreal project demo final``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p11_final.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """Run ``run_catalogue_service`` with the given arguments (the reference)."""
    from buildreal.projects.p11_final.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p11-final",
    number=11,
    title="Final project: A full-stack deep learning system",
    difficulty="Expert",
    hours="30-40",
    summary="Projects 3, 5, 6 and 10 joined into one monitored service: a reproducible, "
    "tracked CNN backbone exported to ONNX tags a Fashion-MNIST catalogue, finds similar "
    "items with FAISS, searches by text in English or Spanish, and retrains itself only "
    "when a candidate beats it on a fixed holdout.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_catalogue_service",),
    definition_of_done=DOD,
    check_timeout_s=400.0,
)
