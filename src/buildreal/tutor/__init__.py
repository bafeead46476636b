"""The lab partner: analysis of learner turns, moves, and backends. No Django.

Public names (the web app and the CLI use only these)::

    Engine(matcher=None, backend=None)
        .reply(lab, transcript, seed=...) -> Reply      # message + derived LabState
        .stream(lab, transcript, seed=...) -> ReplyStream  # Chunk pieces, then .reply
        .replay(lab, transcript, seed=...) -> list[Reply]  # after every learner turn
    Turn, Reply, LabState, Debrief, DebriefPoint, Chunk
    LexicalMatcher, SemanticMatcher, default_matcher     # how statements meet the rubric
    DefaultBackend, LLMBackend, LLMConfig, backend_from_env, BackendError

Dependencies point one way: text -> matching -> analysis -> moves -> phrasing -> engine;
backends and llm only word a move the engine has already chosen.
"""

from buildreal.tutor.backends import BackendError, DefaultBackend
from buildreal.tutor.engine import Chunk, Engine, ReplyStream
from buildreal.tutor.llm import LLMBackend, LLMConfig, backend_from_env
from buildreal.tutor.matching import LexicalMatcher, SemanticMatcher, default_matcher
from buildreal.tutor.state import Debrief, DebriefPoint, LabState, Reply, Turn

__all__ = [
    "BackendError", "Chunk", "Debrief", "DebriefPoint", "DefaultBackend", "Engine",
    "LLMBackend", "LLMConfig", "LabState", "LexicalMatcher", "Reply", "ReplyStream",
    "SemanticMatcher", "Turn", "backend_from_env", "default_matcher",
]
