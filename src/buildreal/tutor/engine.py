"""The lab partner's engine: transcript in, next message and derived state out.

``Engine.reply`` replays every learner turn of the transcript through the analysis and
the move rules (``moves.Progress``) and words the last move. Replaying, rather than
trusting a stored state, is what makes the state tamper-proof: it is a function of the
learner's words and the lab alone. Analyses are cached by text, so a reply costs one new
analysis however long the conversation. The partner turns in the transcript are used
only as context for an LLM backend; the default wording is recomputed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from buildreal.packs.model import Lab
from buildreal.tutor.analysis import Analysis, analyse
from buildreal.tutor.backends import Backend, BackendError, DefaultBackend, PhraseRequest
from buildreal.tutor.matching import Matcher, default_matcher
from buildreal.tutor.moves import Move, Progress
from buildreal.tutor.phrasing import Phraser
from buildreal.tutor.state import LabState, Reply, Turn

HISTORY_FOR_LLM = 6  # recent turns an LLM backend sees, for continuity of voice
WORDED_BY_TEMPLATE = ("opening", "debrief", "closed")  # exact text matters: no LLM


@dataclass(frozen=True)
class Chunk:
    """A piece of a streamed reply. ``replace``: discard what was shown, show this."""

    text: str
    replace: bool = False


@dataclass(frozen=True)
class _Outcome:
    move: Move
    state: LabState
    draft: str
    progress: Progress


class ReplyStream:
    """Iterate for ``Chunk`` pieces; ``reply`` holds the final Reply once exhausted."""

    def __init__(self, produce: Callable[[ReplyStream], Iterator[Chunk]]) -> None:
        self.reply: Reply | None = None
        self._chunks = produce(self)

    def __iter__(self) -> Iterator[Chunk]:
        return self._chunks


class Engine:
    def __init__(self, matcher: Matcher | None = None, backend: Backend | None = None,
                 cache_size: int = 4096) -> None:
        self.matcher = matcher or default_matcher()
        self.backend: Backend = backend or DefaultBackend()
        self._cache: OrderedDict[tuple[Lab, str], Analysis] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # --- analysis -----------------------------------------------------------------------
    def analyse(self, lab: Lab, text: str) -> Analysis:
        key = (lab, text)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        result = analyse(lab, text, self.matcher)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def _replay(self, lab: Lab, transcript: Sequence[Turn], seed: int
                ) -> tuple[list[Reply], _Outcome]:
        progress = Progress(lab)
        phraser = Phraser(lab, seed)
        previous = lab.opening
        pushed: list[str] = []
        replies: list[Reply] = []
        move = Move("opening")
        draft = lab.opening
        turn = 0
        for item in transcript:
            if item.role != "learner":
                continue
            turn += 1
            move = progress.step(self.analyse(lab, item.text))
            draft = phraser.render(move, turn, previous, tuple(pushed))
            if move.kind == "pushback" and move.misconception:
                pushed.append(move.misconception)
            previous = draft
            replies.append(Reply(draft, progress.snapshot(), move.kind, concept=move.concept))
        return replies, _Outcome(move, progress.snapshot(), draft, progress)

    # --- public -------------------------------------------------------------------------
    def replay(self, lab: Lab, transcript: Sequence[Turn], *, seed: int) -> list[Reply]:
        """The default-worded reply after each learner turn (for authors and tests)."""
        return self._replay(lab, transcript, seed)[0]

    def reply(self, lab: Lab, transcript: Sequence[Turn], *, seed: int) -> Reply:
        """The partner's answer to the learner turns in ``transcript``.

        With no learner turn yet, the answer is the lab's opening. Deterministic for a
        given ``seed`` with the default backend.
        """
        stream = self.stream(lab, transcript, seed=seed)
        for _ in stream:
            pass
        assert stream.reply is not None  # set when the generator finishes
        return stream.reply

    def stream(self, lab: Lab, transcript: Sequence[Turn], *, seed: int) -> ReplyStream:
        """Like ``reply`` but in pieces as the backend produces them."""
        outcome = self._replay(lab, transcript, seed)[1]
        return ReplyStream(lambda holder: self._stream(lab, transcript, outcome, holder))

    def _stream(self, lab: Lab, transcript: Sequence[Turn], outcome: _Outcome,
                holder: ReplyStream) -> Iterator[Chunk]:
        def final(message: str, by: str) -> Reply:
            return Reply(message, outcome.state, outcome.move.kind,
                         phrased_by=by, concept=outcome.move.concept)  # type: ignore[arg-type]

        if isinstance(self.backend, DefaultBackend) or outcome.move.kind in WORDED_BY_TEMPLATE:
            holder.reply = final(outcome.draft, "default")
            yield Chunk(outcome.draft)
            return
        request = PhraseRequest(
            persona=lab.persona, decision=lab.decision_prompt, move=outcome.move.kind,
            draft=outcome.draft,
            history=() if outcome.move.kind == "refuse" else tuple(transcript[-HISTORY_FOR_LLM:]),
            secrets=_unearned(lab, outcome.progress),
        )
        said: list[str] = []
        try:
            for piece in self.backend.stream(request):
                said.append(piece)
                yield Chunk(piece)
        except BackendError:
            holder.reply = final(outcome.draft, "default")
            yield Chunk(outcome.draft, replace=bool(said))
            return
        holder.reply = final("".join(said).strip(), "llm")


def _unearned(lab: Lab, progress: Progress) -> tuple[str, ...]:
    """Authored material the learner has not reached: hints not yet given and the
    substance of concepts not yet covered."""
    secrets = list(lab.hints[progress.hints:])
    for concept in lab.rubric:
        if concept.id not in progress.covered:
            secrets += [concept.description, *concept.strong]
    return tuple(secrets)
