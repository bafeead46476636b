"""Project 9: a deep Q-learning agent for CartPole-v1.

The reference solution lives in ``reference/dqn/`` in the same shape as the learner's
starter (``starter/dqn/``); ``checks`` judges either; ``cli`` is ``run_dqn_train``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p9_dqn.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """The reference experiment (``run_dqn_train``): five seeds, plots, a frame strip."""
    from buildreal.projects.p9_dqn.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p9-dqn",
    number=9,
    title="Project 9: Deep Q-learning agent",
    difficulty="Expert",
    hours="20-30",
    summary="A DQN agent for CartPole-v1 with a replay buffer, a target network, "
    "epsilon-greedy exploration, the Huber loss and Double DQN, compared with "
    "Stable-Baselines3.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_dqn_train",),
    definition_of_done=DOD,
    check_timeout_s=300.0,
)
