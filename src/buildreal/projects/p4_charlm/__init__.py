"""Project 4: a character-level recurrent language model of Shakespeare.

The reference solution lives in ``reference/charlm/`` in the same shape as the learner's
starter (``starter/charlm/``); ``checks`` judges either; ``cli`` is ``run_rnn_generate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p4_charlm.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """The whole reference experiment (``run_rnn_generate --train``), then a sample."""
    from buildreal.projects.p4_charlm.cli import main

    return main(["--train", *argv])


PROJECT = ProjectSpec(
    id="p4-charlm",
    number=4,
    title="Project 4: RNN language model",
    difficulty="Advanced",
    hours="10-15",
    summary="A character-level LSTM trained on Shakespeare with truncated BPTT and "
    "clipping, measured in bits per character against an n-gram baseline.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_rnn_generate",),
    definition_of_done=DOD,
    check_timeout_s=300.0,
)
