"""The tutor package's promises: its public names, and that it stays free of Django."""

from __future__ import annotations

import subprocess
import sys

import buildreal.tutor


def test_the_public_names_are_the_documented_ones():
    assert sorted(buildreal.tutor.__all__) == sorted([
        "BackendError", "Chunk", "Debrief", "DebriefPoint", "DefaultBackend", "Engine",
        "LLMBackend", "LLMConfig", "LabState", "LexicalMatcher", "Reply", "ReplyStream",
        "SemanticMatcher", "Turn", "backend_from_env", "default_matcher",
    ])
    for name in buildreal.tutor.__all__:
        assert getattr(buildreal.tutor, name) is not None


def test_the_engine_runs_without_django_or_the_embedding_model_imported():
    script = (
        "import sys\n"
        "from buildreal.tutor import Engine, LexicalMatcher, Turn\n"
        "from buildreal.packs.model import Choice, Completion, Lab\n"
        "lab = Lab(persona='p', scenario='s', opening='Pick one.', decision_prompt='Which?',"
        " choices=(Choice('a', 'Option A'), Choice('b', 'Option B')), rubric=(),"
        " misconceptions=(), hints=(), completion=Completion(min_concepts=0))\n"
        "reply = Engine(matcher=LexicalMatcher()).reply(lab, [Turn.learner('It depends.')],"
        " seed=0)\n"
        "assert reply.move == 'ask_commit', reply\n"
        "heavy = [m for m in ('django', 'torch', 'sentence_transformers') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
