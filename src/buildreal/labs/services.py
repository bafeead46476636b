"""Lab sessions: start, resume, restart, take a turn, award XP. No views, no templates.

The engine is built once per process from the environment (``BUILDREAL_TUTOR_MATCHER``,
``BUILDREAL_LLM_*``). Opening a lab page starts loading the sentence embedder in the
background, so by the time the learner has read the scenario and typed, the first reply
does not pay for the load.
"""

from __future__ import annotations

import logging
import os
import random
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from buildreal.accounts import throttle
from buildreal.labs.models import LabSession
from buildreal.packs.model import Course, Item
from buildreal.progress.services import award_completion
from buildreal.tutor import (
    Chunk,
    DefaultBackend,
    Engine,
    LabState,
    Reply,
    Turn,
    backend_from_env,
    default_matcher,
)
from buildreal.tutor import embedder as tutor_embedder

MAX_MESSAGE_CHARS = 2000
log = logging.getLogger("buildreal.labs")

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


def _engine_for(user: AbstractBaseUser) -> Engine:
    """The engine for this learner's turn: with an LLM configured, each turn spends one
    call of the learner's daily budget; past it the offline partner phrases the reply
    (same analysis and moves, the pack's own wording), so one learner cannot run up the
    LLM bill or starve the class."""
    engine = get_engine()
    if engine.backend.name == "default":
        return engine
    if throttle.hit("llm", str(user.pk), settings.BUILDREAL_LLM_CALLS_PER_DAY,
                    timedelta(days=1)):
        return Engine(matcher=engine.matcher, backend=DefaultBackend())
    return engine


def _check_turn_rate(user: AbstractBaseUser) -> None:
    wait = throttle.hit("lab-turn", str(user.pk), settings.BUILDREAL_LAB_TURNS_PER_MINUTE,
                        timedelta(minutes=1))
    if wait:
        raise LabInputError(
            f"That is more messages than your partner can read in a minute. Wait "
            f"{throttle.wait_text(wait)}, then send it again.", "rate")


def restart_session(user: AbstractBaseUser, course: Course, item: Item) -> LabSession:
    """``start_session`` for the Restart button, limited per learner and hour."""
    wait = throttle.hit("lab-restart", str(user.pk), settings.BUILDREAL_LAB_RESTARTS_PER_HOUR,
                        timedelta(hours=1))
    if wait:
        raise LabInputError(
            f"You have restarted labs {settings.BUILDREAL_LAB_RESTARTS_PER_HOUR} times in the "
            f"last hour. Try again in {throttle.wait_text(wait)}, or keep arguing the "
            f"current one.", "rate")
    return start_session(user, course, item)


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


def load_partner_at_start() -> None:
    """Load the sentence encoder (and each lab's rubric vectors) before serving.

    Called by the WSGI entry point in each server process: loaded lazily instead, the
    first lab reply after a restart stalled every learner's request in that process for
    seconds. Without the model the partner falls back to words alone, as it would later.
    """
    engine = get_engine()
    if engine.matcher.name != "embedding":
        return
    try:
        tutor_embedder.warm()
        warm_lab = getattr(engine.matcher, "warm_up", None)
        if warm_lab is not None:
            from buildreal.catalog.content import get_catalog

            for course in get_catalog().courses.values():
                for item in course.items():
                    if item.lab is not None:
                        warm_lab(item.lab)
    except tutor_embedder.EmbedderUnavailable as exc:
        log.warning("lab partner: the sentence encoder is not available (%s); replies "
                    "match words only", exc)


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
    _check_turn_rate(session.user)
    engine = _engine_for(session.user)
    with transaction.atomic():
        session = _locked(session)
        transcript = [*_transcript(session), Turn.learner(text)]
        reply = engine.reply(item.lab, transcript, seed=session.seed)
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
    _check_turn_rate(session.user)
    transcript = [*_transcript(session), Turn.learner(text)]
    stream = _engine_for(session.user).stream(item.lab, transcript, seed=session.seed)

    def save() -> tuple[LabSession, Reply, bool]:
        assert stream.reply is not None  # set when the chunks ran out
        with transaction.atomic():
            fresh = _locked(session)
            if len(fresh.transcript) != len(session.transcript):
                raise LabInputError("Another tab answered first; reload the page.", "stale")
            awarded = _save(fresh, course, item, text, stream.reply)
        return fresh, stream.reply, awarded

    return iter(stream), save
