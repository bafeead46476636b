"""Project 8: a convolutional variational autoencoder that generates Fashion-MNIST images.

The reference solution lives in ``reference/vae/`` in the same shape as the learner's
starter (``starter/vae/``); ``checks`` judges either; ``cli`` is ``run_vae_sample``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p8_vae.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """``run_vae_sample``: train a small VAE if none is saved, then sample and plot."""
    from buildreal.projects.p8_vae.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p8-vae",
    number=8,
    title="Project 8: Variational autoencoder generator",
    difficulty="Expert",
    hours="20-30",
    summary="A convolutional VAE on Fashion-MNIST: the reparameterisation trick, the ELBO "
    "with a closed-form KL, beta and KL warm-up; samples, interpolations and an "
    "importance-sampled log-likelihood.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_vae_sample",),
    definition_of_done=DOD,
    check_timeout_s=300.0,
)
