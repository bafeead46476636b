"""Project 5: an encoder-decoder Transformer that translates short English and Spanish
sentences, trained on verse-aligned Bibles and a dictionary.

The reference solution lives in ``reference/translator/`` in the same shape as the
learner's starter (``starter/translator/``); ``checks`` judges either; ``cli`` is
``run_transformer_translate``; ``api.load_translator`` is what the final project imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p5_translator.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """``run_transformer_translate``: translate a sentence, training a model if none is saved."""
    from buildreal.projects.p5_translator.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p5-translator",
    number=5,
    title="Project 5: Transformer mini-translator",
    difficulty="Expert",
    hours="20-30",
    summary="An encoder-decoder Transformer written from scratch (multi-head attention "
    "with padding and causal masks, positional encodings, pre-LN blocks, label smoothing, "
    "warm-up) that translates short English and Spanish sentences, with attention plots and "
    "BLEU/chrF against a dictionary and a GRU with attention.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_transformer_translate",),
    definition_of_done=DOD,
    check_timeout_s=420.0,
)
