"""Choosing the partner's next move from the conversation so far.

The engine folds the learner's turns one at a time through ``Progress.step``; each step
reads the turn's ``Analysis`` and returns a ``Move`` (what to say, not how to say it).
Only analysis of learner text moves the state: the partner's own past messages, and any
claim a learner makes about their score or progress, are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from buildreal.packs.model import Lab
from buildreal.tutor.analysis import Analysis
from buildreal.tutor.debrief import build_debrief
from buildreal.tutor.state import Debrief, LabState, MoveKind

STALL_LIMIT = 3  # turns in a row without progress before the next hint layer is offered
PROBES_PER_CONCEPT = 2  # unanswered probes before moving on to the next concept
GRACE_TURNS = 4  # past max_turns, a learner still adding reasoning is not cut off
MIN_ANSWER_WORDS = 6  # an answer to the partner's own question must be a real sentence


def earned(a: Analysis, probed: str | None = None) -> tuple[str, ...]:
    """The concepts a message earns: asserted (not denied, not weak) and argued with a
    mechanism, consequence or evidence; or asserted in answer to the partner's own
    question about that concept (``probed``). A list of terms earns nothing."""
    if a.intent != "substantive" or a.listing:
        return ()
    out = list(a.argued)
    answer = (*a.evidence.concepts, *a.evidence.near)  # the question sets the topic
    if (probed and probed in answer and probed not in out
            and probed not in a.evidence.denied and probed not in a.evidence.weak
            and not a.evidence.misconceptions and len(a.text.split()) >= MIN_ANSWER_WORDS):
        out.append(probed)
    return tuple(out)


@dataclass(frozen=True)
class Move:
    kind: MoveKind
    acknowledge: tuple[str, ...] = ()  # concept ids newly covered, to name as right
    choice: str | None = None  # the choice the move refers to
    concept: str | None = None  # the concept probed
    misconception: str | None = None
    challenge: str = ""  # authored challenge text, or "" for a templated one
    alternative: str | None = None  # a choice to argue for, when challenging
    hint: int | None = None  # index of the hint revealed
    reason: str = ""  # why a refusal: manipulation, hostile, off_topic, answer, try_first,
    # commit_first (the last hint layer waits for a commitment)
    then: Move | None = None  # a follow-up (a refusal returns to the case with it)
    repeat: int = 0  # how many times this concept has already been probed
    debrief: Debrief | None = None
    cite: str = ""  # the learner's earlier words, quoted back when they flip
    answered: bool = False  # this turn answered the partner's previous challenge
    offer: bool = False  # the completion rule is met: the learner may stop here
    concepts: tuple[str, ...] = ()  # concepts a list touched (ask_connect)


@dataclass
class Progress:
    """The mutable fold over learner turns; ``snapshot`` freezes it into a LabState."""

    lab: Lab
    choice: str | None = None
    tentative: str | None = None  # named without a reason; committed once a reason comes
    covered: list[str] = field(default_factory=list)
    misconceptions: list[str] = field(default_factory=list)
    turns: int = 0
    stalled: int = 0
    hints: int = 0
    tried_since_hint: bool = False
    challenges_used: int = 0
    probes: dict[str, int] = field(default_factory=dict)
    commitments: list[tuple[str, str]] = field(default_factory=list)  # (choice, words)
    last_probe: str | None = None  # the concept the partner's last message asked about
    open_challenge: bool = False  # the partner challenged and awaits an answer
    offered: bool = False  # the partner has said the learner may stop here
    progressed: bool = False  # the current turn added a concept or a commitment
    done: bool = False
    completed: bool = False
    debrief: Debrief | None = None

    # --- the rule -----------------------------------------------------------------------
    def rule_met(self) -> bool:
        rule = self.lab.completion
        if rule.require_commitment and (self.choice is None or not self.defensible()):
            return False
        return len(self.covered) >= rule.min_concepts

    def defensible(self) -> bool:
        return not self.lab.defensible or self.choice in self.lab.defensible

    def snapshot(self) -> LabState:
        return LabState(
            choice=self.choice, choices=tuple(c for c, _ in self.commitments),
            covered=tuple(self.covered),
            misconceptions=tuple(self.misconceptions), turns=self.turns,
            stalled=self.stalled, hint_layer=self.hints, done=self.done,
            completed=self.completed, debrief=self.debrief,
        )

    # --- helpers ------------------------------------------------------------------------
    def _hint_allowed(self) -> bool:
        """The next layer exists, the learner has tried since the last one, and it is not
        the last layer asked for before a commitment (``_answer_withheld``)."""
        return (self.hints < len(self.lab.hints) and (self.hints == 0 or self.tried_since_hint)
                and not self._answer_withheld())

    def _answer_withheld(self) -> bool:
        """The last hint layer is the worked answer (authors write "A strong answer:
        ..." there, naming the choice): it waits until the learner has committed to a
        position of their own, so asking for hints never replaces choosing."""
        return self.choice is None and self.hints == len(self.lab.hints) - 1

    def _hint(self, reason: str = "") -> Move:
        index = self.hints
        self.hints += 1
        self.stalled = 0
        self.tried_since_hint = False
        return Move("hint", hint=index, reason=reason)

    def _next_concept(self, keep: str | None = None) -> tuple[str | None, int]:
        """The concept to probe: the first uncovered one (rubric order) not yet probed
        too often; ``keep`` stays in focus if it is still uncovered and not exhausted."""
        uncovered = [c.id for c in self.lab.rubric if c.id not in self.covered]
        if not uncovered:
            return None, 0
        if keep in uncovered and self.probes.get(keep, 0) < PROBES_PER_CONCEPT:
            return keep, self.probes.get(keep, 0)
        fresh = [c for c in uncovered if self.probes.get(c, 0) < PROBES_PER_CONCEPT]
        target = fresh[0] if fresh else min(uncovered, key=lambda c: self.probes.get(c, 0))
        return target, self.probes.get(target, 0)

    def _probe(self, acknowledge: tuple[str, ...] = (), focus: str | None = None) -> Move:
        concept, repeat = self._next_concept(focus)
        if concept is None:  # everything covered but the rule is not met (choice)
            return self._reconsider(acknowledge)
        self.probes[concept] = self.probes.get(concept, 0) + 1
        return Move("probe", acknowledge=acknowledge, concept=concept, repeat=repeat)

    def _challenge(self, acknowledge: tuple[str, ...]) -> Move:
        alternative = self._alternative()
        if not self.defensible():
            # challenged with the case itself: the question that leads to the evidence the
            # choice ignores (an answer to it earns that concept)
            concept, _ = self._next_concept()
            if concept is not None:
                self.probes[concept] = self.probes.get(concept, 0) + 1
            return Move("challenge", acknowledge, choice=self.choice, alternative=alternative,
                        concept=concept)
        text = ""
        if self.challenges_used < len(self.lab.challenges):
            text = self.lab.challenges[self.challenges_used]
            self.challenges_used += 1
        return Move("challenge", acknowledge, choice=self.choice, challenge=text,
                    alternative=alternative)

    def _reconsider(self, acknowledge: tuple[str, ...]) -> Move:
        concept, _ = self._next_concept()
        return Move("reconsider", acknowledge, choice=self.choice,
                    alternative=self._alternative(), concept=concept)

    def _alternative(self) -> str | None:
        """The strongest other choice: a defensible one if the lab names any."""
        pool = [c.id for c in self.lab.choices if c.id != self.choice]
        preferred = [c for c in pool if c in self.lab.defensible]
        return (preferred or pool or [None])[0]

    def _finish(self, acknowledge: tuple[str, ...] = (), reason: str = "rule") -> Move:
        """The debrief. ``reason``: "rule" (met), "asked" (the learner), "limit" (turns)."""
        self.done = True
        self.completed = self.rule_met()
        self.debrief = build_debrief(self.lab, self.snapshot())
        return Move("debrief", acknowledge, choice=self.choice, debrief=self.debrief,
                    reason=reason)

    def _redirect(self) -> Move:
        if self.choice is None:
            return Move("ask_commit", choice=self.tentative, reason="redirect")
        concept, repeat = self._next_concept(self._focus())
        if concept is None:
            return self._reconsider(())
        return Move("probe", concept=concept, repeat=repeat)

    def _focus(self) -> str | None:
        return max(self.probes, key=lambda c: self.probes[c]) if self.probes else None

    # --- the fold -----------------------------------------------------------------------
    def step(self, a: Analysis) -> Move:
        if self.done:
            return Move("closed")
        self.turns += 1
        self.progressed = False
        probed, self.last_probe = self.last_probe, None
        move = self._decide(a, probed)
        limit = self.lab.completion.max_turns
        if not self.done and self.turns >= limit and (
                not self.progressed or self.turns >= limit + GRACE_TURNS):
            # out of turns, but never while the learner is still adding reasoning
            return self._finish(move.acknowledge, reason="limit")
        if move.kind == "probe" or (move.kind in ("ask_why", "weak", "deny", "challenge",
                                                  "reconsider") and move.concept):
            self.last_probe = move.concept  # an answer to this question earns the concept
        return move

    def _decide(self, a: Analysis, probed: str | None) -> Move:
        if a.intent in ("manipulation", "hostile", "off_topic"):
            return Move("refuse", reason=a.intent, then=self._redirect())
        if a.intent == "finish":
            return self._finish(reason="asked")
        if a.intent == "answer_request":
            self.stalled += 1
            if self.stalled >= STALL_LIMIT and self._hint_allowed():
                return self._hint(reason="answer")
            return Move("refuse_answer", reason="answer", then=self._redirect())
        if a.intent == "hint_request":
            if self._hint_allowed():
                return self._hint(reason="asked")
            self.stalled += 1
            reason = "commit_first" if self._answer_withheld() else "try_first"
            return Move("refuse_answer", reason=reason, then=self._redirect())
        return self._substantive(a, probed)

    def _flip(self, new: str, acknowledge: tuple[str, ...] = ()) -> Move | None:
        """A switch from a defensible reasoned commitment to an indefensible choice:
        challenged with the learner's own earlier words."""
        if not self.lab.defensible or new in self.lab.defensible:
            return None
        earlier = [(c, t) for c, t in self.commitments if c != new and c in self.lab.defensible]
        if not earlier:
            return None
        before, words = earlier[-1]
        return Move("flip", acknowledge, choice=new, alternative=before, cite=words)

    def _substantive(self, a: Analysis, probed: str | None) -> Move:
        self.tried_since_hint = True
        answering = self.open_challenge
        self.open_challenge = False
        if a.listing and not a.hedged:
            # terms without a link between them: no credit, no commitment
            if a.choice and self.choice is None:
                self.tentative = a.choice
            return self._no_progress(Move("ask_connect", concepts=tuple(
                dict.fromkeys((*a.evidence.concepts, *a.evidence.near)))))
        if a.hedged and self.choice is not None and a.evidence.concepts:
            # Already committed, and now making a point that happens to name two options
            # ("only approved applicants have outcomes; rejected ones never show up").
            a = replace(a, hedged=False, choice=None)
        if a.hedged:
            # no progress; where the lab names this very hedge, its pushback does the asking
            move = Move("ask_commit", choice=None)
            if a.evidence.misconceptions:
                mid = a.evidence.misconceptions[0]
                if mid not in self.misconceptions:
                    self.misconceptions.append(mid)
                move = Move("pushback", misconception=mid)
            return self._no_progress(move)
        if self.choice and a.choice != self.choice and not a.cued and a.evidence.concepts:
            # naming another option in passing while explaining is not changing one's mind
            a = replace(a, choice=None)
        if a.evidence.denied and not a.reasoned and not earned(a, None):
            # "there is no feedback loop": push back on the denial before anything else
            return self._no_progress(Move("deny", concept=a.evidence.denied[0]))
        if a.misled and self.choice is None:
            # a first commitment argued only with a misconception is not a reasoned one:
            # the lab's pushback, and the choice waits for a real reason
            a = replace(a, reasoned=False)
        if a.choice and not a.reasoned and a.choice != self.choice:
            self.tentative = a.choice
            flip = self._flip(a.choice) if self.choice else None
            if flip is not None:
                # a switch is met with the learner's own earlier words first; a
                # misconception voiced with it is still on the record
                self.misconceptions += [m for m in a.evidence.misconceptions
                                        if m not in self.misconceptions]
                return self._no_progress(flip)
            if a.evidence.misconceptions and len(a.text.split()) >= 4:
                # a misconception voiced, not a bare label: the lab's pushback says more
                for m in a.evidence.misconceptions:
                    if m not in self.misconceptions:
                        self.misconceptions.append(m)
                return self._no_progress(
                    Move("pushback", misconception=a.evidence.misconceptions[0]))
            if a.evidence.weak and len(a.text.split()) >= 4:
                # "the loss was badly designed": say what is missing, not only "why?"
                flip = Move("weak", concept=a.evidence.weak[0], choice=a.choice)
            return self._no_progress(flip or Move("ask_reason", choice=a.choice))

        commit = a.choice if a.reasoned else None
        if commit is None and a.reasoned and self.choice is None and self.tentative:
            commit = self.tentative  # the reason for the choice named last turn
        new_commit = commit is not None and commit != self.choice
        if new_commit:
            self.choice, self.tentative = commit, None
        if commit is not None:
            self.commitments.append((commit, a.text))

        order = [c.id for c in self.lab.rubric]
        new = sorted((c for c in earned(a, probed) if c not in self.covered), key=order.index)
        self.covered += new
        for m in a.evidence.misconceptions:
            if m not in self.misconceptions:
                self.misconceptions.append(m)
        if new or new_commit:
            self.stalled = 0
            self.progressed = True
        acknowledge = tuple(new)

        if new_commit and commit is not None:
            flip = self._flip(commit, acknowledge)
            if flip is not None:
                return flip
        if a.evidence.misconceptions:
            if not (new or new_commit):
                self.stalled += 1
            return Move("pushback", misconception=a.evidence.misconceptions[0])
        denied = [c for c in a.evidence.denied if c not in new]
        if denied and not new:
            return self._no_progress(Move("deny", concept=denied[0]))
        claimed = [c for c in a.evidence.concepts if c not in self.covered]
        if claimed and not new:
            # said, but not argued: ask for the mechanism; an answer next turn earns it
            return self._no_progress(Move("ask_why", concept=claimed[0]))
        weak = [c for c in a.evidence.weak if c not in self.covered]
        if weak and not new:
            return self._no_progress(Move("weak", concept=weak[0]))
        if self.choice is None:
            if new:
                return Move("ask_choice", acknowledge)
            return self._no_progress(Move("ask_commit", choice=self.tentative))
        answered = answering and a.reasoned and not new_commit
        if self.rule_met():
            if all(c in self.covered for c in order):
                return self._finish(acknowledge)
            if not (new or new_commit or a.reasoned) and self.offered:
                return self._finish(acknowledge)  # the learner has stopped adding reasoning
            move = self._probe(acknowledge)
            if move.kind == "probe":
                move = replace(move, offer=not self.offered, answered=answered)
                self.offered = True
            return move
        if new_commit:
            move = self._challenge(acknowledge)
            self.open_challenge = True
            return move
        if new:
            return replace(self._probe(acknowledge), answered=answered)
        if answered:
            return replace(self._probe(focus=self._focus()), answered=True)
        if all(c in self.covered for c in order) or (
            not self.defensible() and len(self.covered) >= self.lab.completion.min_concepts
        ):
            return self._no_progress(self._reconsider(()))
        return self._no_progress(None)

    def _no_progress(self, move: Move | None) -> Move:
        """A turn that moved nothing: offer a hint once stalled long enough."""
        self.stalled += 1
        if self.stalled >= STALL_LIMIT and self._hint_allowed():
            return self._hint()
        return move if move is not None else self._probe(focus=self._focus())
