"""Who words the partner's message once the engine has chosen the move.

    Backend (protocol)
    ├── DefaultBackend   the draft from the templates, as is (offline, instant)
    └── LLMBackend       (llm.py) an OpenAI-compatible chat endpoint, streamed

A backend only ever re-words the draft; it never sees or changes the state. Any failure
raises ``BackendError`` and the engine falls back to the draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from buildreal.tutor.state import MoveKind, Turn


class BackendError(RuntimeError):
    """The backend could not produce a usable message (timeout, HTTP error, bad data)."""


@dataclass(frozen=True)
class PhraseRequest:
    persona: str
    decision: str  # the lab's decision prompt, to keep the model on the case
    move: MoveKind
    draft: str  # what to say: the default backend's wording
    history: tuple[Turn, ...]  # the last few turns, for continuity of voice
    secrets: tuple[str, ...]  # authored text the learner has not earned yet (must not leak)


class Backend(Protocol):
    name: str

    def stream(self, request: PhraseRequest) -> Iterator[str]:
        """Yield the message in pieces; raise BackendError on any failure."""
        ...


class DefaultBackend:
    name = "default"

    def stream(self, request: PhraseRequest) -> Iterator[str]:
        yield request.draft
