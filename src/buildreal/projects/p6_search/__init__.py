"""Project 6: contrastive sentence embeddings and semantic search.

The reference solution lives in ``reference/encoder/`` in the same shape as the
learner's starter (``starter/encoder/``); ``checks`` judges either. ``api`` (a trained
encoder) and ``index`` (``VectorIndex``) are the interfaces other code imports;
``cli`` is ``run_semantic_search``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from buildreal.projects.base import ProjectSpec
from buildreal.projects.p6_search.checks import CHECKS, DOD

_HERE = Path(__file__).parent
REFERENCE_DIR = _HERE / "reference"


def demo(argv: Sequence[str]) -> int:
    """``run_semantic_search``: rank course passages for a query with the trained encoder."""
    from buildreal.projects.p6_search.cli import main

    return main(list(argv))


PROJECT = ProjectSpec(
    id="p6-search",
    number=6,
    title="Project 6: Contrastive embeddings and semantic search",
    difficulty="Expert",
    hours="20-30",
    summary="A sentence encoder trained from scratch with InfoNCE on KJV/WEB paraphrase "
    "pairs, evaluated with recall@k and MRR on held-out books against TF-IDF and "
    "MiniLM, served through exact and HNSW FAISS indexes.",
    starter_dir=_HERE / "starter",
    run_checks=CHECKS.run,
    checks=CHECKS,
    demo=demo,
    console_scripts=("run_semantic_search",),
    definition_of_done=DOD,
    check_timeout_s=420.0,
)
