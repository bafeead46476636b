"""The debrief and its score.

The score is a pure function of the derived state, so it can only move when the
analysis of what the learner argued moves: nothing typed about scores reaches it.

    commitment     20  a reasoned commitment to a defensible choice (8 for one the lab
                       does not consider defensible; 0 for none)
    concepts       70  shared equally among the rubric concepts covered
    misconceptions 10  10 with none raised, 5 with one, 0 with more, in proportion to the
                       concepts argued (saying nothing wrong is worth little if nothing
                       right was argued either: a list of terms scores 0 here)
    hints          -5  for each hint layer used

Only argued concepts (``moves.earned``) and a reasoned commitment reach the state, so the
score and the completion rule read the same evidence.
"""

from __future__ import annotations

from buildreal.packs.model import Lab
from buildreal.tutor.state import Debrief, DebriefPoint, LabState

COMMITMENT_POINTS = 20
CONCEPT_POINTS = 70
MISCONCEPTION_POINTS = 10
HINT_COST = 5


def score(lab: Lab, state: LabState) -> int:
    points = 0.0
    if state.choice is not None:
        defensible = not lab.defensible or state.choice in lab.defensible
        points += COMMITMENT_POINTS if defensible else 8
    share = len(state.covered) / len(lab.rubric) if lab.rubric else 1.0
    points += CONCEPT_POINTS * share
    points += max(0, MISCONCEPTION_POINTS - 5 * len(state.misconceptions)) * share
    points -= HINT_COST * state.hint_layer
    return int(round(min(100.0, max(0.0, points))))


def build_debrief(lab: Lab, state: LabState) -> Debrief:
    """What was right, what was missed and why it matters, and the score.

    ``state.completed`` must already say whether the lab's completion rule was met.
    """
    got_right = tuple(
        DebriefPoint(c.id, c.concept, c.acknowledge or c.description)
        for c in lab.rubric
        if c.id in state.covered
    )
    missed = tuple(
        DebriefPoint(c.id, c.concept, c.description)
        for c in lab.rubric
        if c.id not in state.covered
    )
    raised = tuple(m.description for m in lab.misconceptions if m.id in state.misconceptions)
    return Debrief(
        score=score(lab, state), completed=state.completed, choice=state.choice,
        got_right=got_right, missed=missed, misconceptions=raised,
        hints_used=state.hint_layer,
    )
