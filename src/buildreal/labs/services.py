"""Lab sessions: start, resume, restart, take a turn, award XP. No views, no templates.

The engine is built once per process from the environment (``BUILDREAL_TUTOR_MATCHER``,
``BUILDREAL_LLM_*``). Opening a lab page starts loading the sentence embedder in the
background, so by the time the learner has read the scenario and typed, the first reply
does not pay for the load.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from buildreal.labs.models import LabSession
from buildreal.packs.model import Course, Item
from buildreal.progress.services import award_completion
from buildreal.tutor import (
    Chunk,
    Engine,
    LabState,
    Reply,
    Turn,
    backend_from_env,
    default_matcher,
)
from buildreal.tutor import embedder as tutor_embedder

MAX_MESSAGE_CHARS = 2000

_engine: Engine | None = None
_engine_lock = threading.Lock()


class LabInputError(ValueError):
    """The learner's message cannot be taken (empty, too long, lab finished)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = Engine(matcher=default_matcher(), backend=backend_from_env())
    return _engine


def reset_engine() -> None:
    """Forget the engine so the next use reads the environment again (tests)."""
    global _engine
    with _engine_lock:
        _engine = None


def warm_up() -> None:
    """Start loading the embedder in the background when it is the matcher in use.

    Not under pytest: there a background load would only compete with the suite for the
    CPU, and the tests that need the model load it themselves."""
    if os.environ.get("PYTEST_CURRENT_TEST"):
        return
    if get_engine().matcher.name == "embedding":
        tutor_embedder.preload()


def current_session(user: AbstractBaseUser, course: Course, item: Item) -> LabSession | None:
    """The learner's latest session of this lab (what the page resumes)."""
    if not user.is_authenticated:
        return None
    return LabSession.objects.filter(user=user, course_id=course.id, lab_id=item.id).first()


def start_session(user: AbstractBaseUser, course: Course, item: Item) -> LabSession:
    """A new session; earlier ones are kept for the learner's and instructor's record."""
    assert item.lab is not None  # only lab items reach here
    return LabSession.objects.create(
        user=user, course_id=course.id, lab_id=item.id, content_hash=item.content_hash,
        seed=random.SystemRandom().randrange(1, 2**31),
        transcript=[Turn.partner(item.lab.opening).to_dict()],
        state=LabState().to_dict(),
    )


def _validated(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise LabInputError("Write something to your lab partner first.", "empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise LabInputError(
            f"Keep a message under {MAX_MESSAGE_CHARS} characters "
            f"(this one has {len(text)}); split a long argument over two turns.", "too_long")
    return text


def _transcript(session: LabSession) -> list[Turn]:
    return [Turn.from_dict(turn) for turn in session.transcript]


def _save(session: LabSession, course: Course, item: Item, text: str, reply: Reply) -> bool:
    """Store the turn and its reply; award the lab's XP once if the rule was met."""
    session.transcript = [*session.transcript, Turn.learner(text).to_dict(),
                          Turn.partner(reply.message).to_dict()]
    session.state = reply.state.to_dict()
    session.done = reply.state.done
    session.completed = reply.state.completed
    if reply.state.debrief is not None:
        session.score = reply.state.debrief.score
    session.save()
    if reply.state.completed:
        return award_completion(session.user, course, item)
    return False


def _locked(session: LabSession) -> LabSession:
    """Re-read the session under a row lock so two tabs cannot interleave turns."""
    fresh = LabSession.objects.select_for_update().get(pk=session.pk)
    if fresh.done:
        raise LabInputError("This lab is finished. Restart it to argue it again.", "finished")
    return fresh


def take_turn(session: LabSession, course: Course, item: Item, text: str
              ) -> tuple[LabSession, Reply, bool]:
    """Add the learner's message, get the partner's reply, save both.

    Returns the saved session, the reply, and whether this turn awarded the lab's XP.
    """
    text = _validated(text)
    assert item.lab is not None
    with transaction.atomic():
        session = _locked(session)
        transcript = [*_transcript(session), Turn.learner(text)]
        reply = get_engine().reply(item.lab, transcript, seed=session.seed)
        awarded = _save(session, course, item, text, reply)
    return session, reply, awarded


def streams() -> bool:
    """Whether replies arrive in pieces (an LLM backend is configured)."""
    return get_engine().backend.name != "default"


def stream_turn(session: LabSession, course: Course, item: Item, text: str
                ) -> tuple[Iterator[Chunk], Callable[[], tuple[LabSession, Reply, bool]]]:
    """Like ``take_turn``, in pieces: returns the reply's chunks and a function that
    saves the turn once they are exhausted. Bad input raises before the first piece."""
    text = _validated(text)
    assert item.lab is not None
    if LabSession.objects.filter(pk=session.pk, done=True).exists():
        raise LabInputError("This lab is finished. Restart it to argue it again.", "finished")
    transcript = [*_transcript(session), Turn.learner(text)]
    stream = get_engine().stream(item.lab, transcript, seed=session.seed)

    def save() -> tuple[LabSession, Reply, bool]:
        assert stream.reply is not None  # set when the chunks ran out
        with transaction.atomic():
            fresh = _locked(session)
            if len(fresh.transcript) != len(session.transcript):
                raise LabInputError("Another tab answered first; reload the page.", "stale")
            awarded = _save(fresh, course, item, text, stream.reply)
        return fresh, stream.reply, awarded

    return iter(stream), save
