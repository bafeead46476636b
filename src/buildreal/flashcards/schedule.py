"""FSRS scheduling through the ``fsrs`` library (no Django, no hand-written intervals).

A learner's memory of one card is the library's ``Card`` serialised to a dict; this
module only turns that dict into the next one. Fuzzing is off so that the due date a
learner is shown, the one stored and the one a test computes from the library agree to
the second; for decks of tens of cards the bunching fuzz prevents does not arise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fsrs import Card, Rating, Scheduler

RATINGS: dict[int, str] = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}

SCHEDULER = Scheduler(enable_fuzzing=False)

# The library identifies cards by an integer it otherwise takes from the clock (and
# sleeps a millisecond to keep unique); rows are identified by their own keys here.
_CARD_ID = 1


def new_state(now: datetime) -> dict[str, Any]:
    """A card never reviewed, due at ``now``."""
    card = Card(card_id=_CARD_ID, due=now)
    return _plain(card.to_dict())


def review(state: dict[str, Any], rating: int, now: datetime) -> tuple[dict[str, Any], datetime]:
    """Apply one rating (1 Again .. 4 Easy) at ``now``; the new state and its due date.

    Raises ``ValueError`` for a rating outside 1-4.
    """
    if rating not in RATINGS:
        raise ValueError(f"rating must be 1 (Again) to 4 (Easy), not {rating!r}")
    card = Card.from_dict({**state, "card_id": _CARD_ID})
    card, _log = SCHEDULER.review_card(card, Rating(rating), review_datetime=now)
    return _plain(card.to_dict()), card.due


def due_of(state: dict[str, Any]) -> datetime:
    return Card.from_dict({**state, "card_id": _CARD_ID}).due


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "card_id"}
