"""The values the lab partner exchanges with its callers: turns in, a reply and state out.

Everything here is immutable and JSON-friendly (``to_dict``), because the web app stores
the state beside the transcript and the ``lab replay`` command prints it. The state is
always *derived*: the engine rebuilds it from the learner's turns on every reply, so a
stored or forged state can never be fed back in to skip ahead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Role = Literal["learner", "partner"]

MoveKind = Literal[
    "opening",  # the lab's first message
    "ask_commit",  # hedging: pick one choice and give a reason
    "ask_reason",  # a choice without a mechanism
    "ask_choice",  # reasoning without a choice
    "challenge",  # acknowledgement of a reasoned commitment, then a challenge
    "flip",  # a switch to an indefensible choice, challenged with what was said before
    "deny",  # the learner denies or doubts a rubric idea: push back, ask for evidence
    "weak",  # a concept stated no better than its weak examples: say what is missing
    "ask_why",  # a concept asserted with no mechanism, consequence or evidence
    "ask_connect",  # a list of terms: how do they connect?
    "pushback",  # a known misconception: the lab's pushback for it
    "probe",  # acknowledgement of progress (if any), then the next uncovered concept
    "hint",  # the next hint layer after turns without progress
    "refuse",  # manipulation, hostility or off-topic: short refusal, back to the case
    "refuse_answer",  # "just tell me the answer" before the learner has tried
    "reconsider",  # concepts are there but the committed choice is not defensible
    "debrief",  # the end: what was right, what was missed, the score
    "closed",  # the lab is over; messages after the debrief change nothing
]


@dataclass(frozen=True)
class Turn:
    role: Role
    text: str

    @classmethod
    def learner(cls, text: str) -> Turn:
        return cls("learner", text)

    @classmethod
    def partner(cls, text: str) -> Turn:
        return cls("partner", text)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        role = data.get("role")
        if role not in ("learner", "partner"):
            raise ValueError(f"a turn's role must be 'learner' or 'partner', not {role!r}")
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError("a turn needs a 'text' string")
        return cls(role, text)

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "text": self.text}


@dataclass(frozen=True)
class DebriefPoint:
    concept_id: str
    concept: str
    detail: str  # for a hit: what was right; for a miss: why it matters


@dataclass(frozen=True)
class Debrief:
    score: int  # 0-100, computed only from the analysis of the transcript
    completed: bool  # the lab's completion rule was met
    choice: str | None
    got_right: tuple[DebriefPoint, ...]
    missed: tuple[DebriefPoint, ...]
    misconceptions: tuple[str, ...]  # descriptions of the misconceptions raised
    hints_used: int


@dataclass(frozen=True)
class LabState:
    choice: str | None = None  # the committed choice id (latest reasoned commitment)
    choices: tuple[str, ...] = ()  # every reasoned commitment, in order (flips show here)
    covered: tuple[str, ...] = ()  # rubric concept ids, in the order they were covered
    misconceptions: tuple[str, ...] = ()  # misconception ids raised, in order
    turns: int = 0  # learner turns so far
    stalled: int = 0  # consecutive learner turns without progress
    hint_layer: int = 0  # hints revealed so far
    done: bool = False
    completed: bool = False  # the completion rule was met (what earns the lab's XP)
    debrief: Debrief | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Reply:
    message: str
    state: LabState
    move: MoveKind
    phrased_by: Literal["default", "llm"] = "default"
    concept: str | None = None  # the concept probed, where the move probes one

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "move": self.move,
            "concept": self.concept,
            "phrased_by": self.phrased_by,
            "state": self.state.to_dict(),
        }
