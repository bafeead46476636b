"""Card states for a learner: the deck's queue, ratings, mistake cards, the Review list.

``now`` is looked up on this module at each call, so a test can freeze the clock here
and compare the stored due dates with what the fsrs library computes for the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from buildreal.assessments.attempts import drawn_questions, reveals_answers
from buildreal.assessments.models import Attempt
from buildreal.assessments.quiz import question_states
from buildreal.catalog.content import get_catalog
from buildreal.flashcards import schedule
from buildreal.flashcards.cards import MISTAKE_PREFIX, Face, deck_face, mistake_face
from buildreal.flashcards.models import CardState
from buildreal.packs.model import Course, Item, Question
from buildreal.progress.services import award_completion
from buildreal.web.hotsql import Select

now = timezone.now


@dataclass(frozen=True)
class Due:
    """One card to show: its face, where it lives, and its stored state (None: new)."""

    face: Face
    course: Course
    item: Item
    state: CardState | None


def end_of_today(at: datetime) -> datetime:
    local = timezone.localtime(at)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start + timedelta(days=1)


# --- decks ----------------------------------------------------------------------------

def deck_states(user: AbstractBaseUser, course: Course, item: Item) -> dict[str, CardState]:
    if not user.is_authenticated:
        return {}
    return {s.card_id: s for s in CardState.objects.filter(
        user=user, course_id=course.id, item_id=item.id, source="deck")}


def deck_queue(user: AbstractBaseUser, course: Course, item: Item) -> list[Due]:
    """The deck's cards due now, earliest first (a card never seen is due now)."""
    at = now()
    states = deck_states(user, course, item)
    rows = []
    for index, card in enumerate(item.cards):
        state = states.get(card.id)
        due = state.due if state else at
        if due <= at:
            rows.append((due, index, Due(deck_face(item, card.id), course, item, state)))
    return [row[2] for row in sorted(rows, key=lambda row: (row[0], row[1]))]


def next_due(user: AbstractBaseUser, course: Course, item: Item) -> datetime | None:
    states = deck_states(user, course, item)
    dues = [s.due for s in states.values()]
    return min(dues) if dues and len(states) == len(item.cards) else None


def rate_deck_card(user: AbstractBaseUser, course: Course, item: Item, card_id: str,
                   rating: int) -> CardState:
    """Store a rating of a deck card. Raises ``LookupError`` for a card not in the deck."""
    if deck_face(item, card_id) is None:
        raise LookupError(card_id)
    at = now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                state, _ = CardState.objects.get_or_create(
                    user=user, course_id=course.id, item_id=item.id, card_id=card_id,
                    defaults={"source": "deck", "fsrs": schedule.new_state(at), "due": at})
        except IntegrityError:  # a double click created it a moment ago
            pass
        state = CardState.objects.select_for_update().get(
            user=user, course_id=course.id, item_id=item.id, card_id=card_id)
        state = _apply(state, rating, at)
    if len(deck_states(user, course, item)) >= len(item.cards):
        award_completion(user, course, item)  # every card rated once: the deck is done
    return state


def rate_state(state: CardState, rating: int) -> CardState:
    with transaction.atomic():
        locked = CardState.objects.select_for_update().get(pk=state.pk)
        return _apply(locked, rating, now())


def _apply(state: CardState, rating: int, at: datetime) -> CardState:
    state.fsrs, state.due = schedule.review(state.fsrs, rating, at)
    state.reviews += 1
    state.last_rating = rating
    state.save(update_fields=["fsrs", "due", "reviews", "last_rating"])
    return state


# --- mistake cards ------------------------------------------------------------------------

def record_mistake(user: AbstractBaseUser, course_id: str, item_id: str, question_id: str,
                   source: str, attempt: Attempt | None = None) -> CardState:
    """A wrong answer becomes (or brings back) a card for this learner, due now.

    A card that exists already keeps its FSRS memory (it was rated before) but is due
    again at once, and now shows the sheet of the latest attempt.
    """
    at = now()
    card_id = MISTAKE_PREFIX + question_id
    state, created = CardState.objects.get_or_create(
        user=user, course_id=course_id, item_id=item_id, card_id=card_id,
        defaults={"source": source, "attempt": attempt, "fsrs": schedule.new_state(at),
                  "due": at})
    if not created:
        state.attempt = attempt
        state.source = source
        state.due = at
        state.save(update_fields=["attempt", "source", "due"])
    return state


def _question(state: CardState, item: Item) -> Question | None:
    question_id = state.card_id[len(MISTAKE_PREFIX):]
    if item.assessment is None:
        return None
    if state.attempt is not None:
        questions = drawn_questions(state.attempt.seed, item)
    else:
        questions = list(item.assessment.questions)
    return next((q for q in questions if q.id == question_id), None)


RevealedQuiz = dict[tuple[str, str], frozenset[str]]  # (course, quiz) -> revealed questions


def _quiz_revealed(state: CardState, course: Course, item: Item,
                   known: RevealedQuiz | None = None,
                   user: AbstractBaseUser | None = None) -> frozenset[str]:
    """The questions of a quiz whose answer the quiz itself would show this learner now
    (solved, a second wrong try, or "Show me"); read once per quiz when ``known`` is
    given."""
    key = (course.id, item.id)
    if known is not None and key in known:
        return known[key]
    states = question_states(user or state.user, course, item)
    found = frozenset(qid for qid, one in states.items() if one.revealed)
    if known is not None:
        known[key] = found
    return found


def may_show(state: CardState, course: Course, item: Item,
             known: RevealedQuiz | None = None,
             user: AbstractBaseUser | None = None) -> bool:
    """A card's back holds the right answer, so it shows only when the source would
    show it. A quiz's card waits until the quiz reveals that question's answer (one
    wrong pick earns a hint, not the answer). A test's card waits for the test's review
    policy, and hides while a new attempt at that test is open (its back would answer
    a question on the open sheet)."""
    if state.source == "quiz":
        return state.card_id[len(MISTAKE_PREFIX):] in _quiz_revealed(state, course, item,
                                                                    known, user)
    if state.source != "test":
        return True
    attempt = state.attempt
    if attempt is None or not attempt.is_submitted:
        return False
    if Attempt.objects.filter(user_id=state.user_id, course_id=course.id, item_id=item.id,
                              submitted_at__isnull=True).exists():
        return False
    return reveals_answers(attempt, course, item)


def face_of(state: CardState, known: RevealedQuiz | None = None,
            user: AbstractBaseUser | None = None) -> Due | None:
    """The card to show for a stored state, or None if it cannot be shown now."""
    course = get_catalog().courses.get(state.course_id)
    item = course.item(state.item_id) if course else None
    if item is None:
        return None  # the pack no longer has it
    if state.source == "deck":
        face = deck_face(item, state.card_id)
        return Due(face, course, item, state) if face else None
    if not may_show(state, course, item, known, user):
        return None
    question = _question(state, item)
    return Due(mistake_face(item, question), course, item, state) if question else None


def due_today(user: AbstractBaseUser) -> list[Due]:
    """Every card of every course due before midnight, earliest first."""
    if not user.is_authenticated:
        return []
    states = _DUE.instances(user.pk, end_of_today(now()))
    linked = {state.attempt_id for state in states if state.attempt_id is not None}
    if linked:  # test cards show their attempt's sheet: one query for all of them
        found = Attempt.objects.in_bulk(linked)
        for state in states:
            if state.attempt_id in found:
                state.attempt = found[state.attempt_id]
    known: RevealedQuiz = {}  # quiz cards: each quiz's revealed questions read once
    return [due for due in (face_of(state, known, user) for state in states)
            if due is not None]


# Every page's header counts the cards due (flashcards/context_processors.py), so this
# read is built once (web/hotsql.py); nothing due, as for most learners, is one query.
_DUE = Select(CardState, None, "{user} = %s AND {due} < %s", ["user", "due"],
              suffix="ORDER BY {due}, {id}")


def due_count(user: AbstractBaseUser) -> int:
    return len(due_today(user))


def own_state_or_none(user: AbstractBaseUser, pk: int) -> CardState | None:
    return CardState.objects.filter(user=user, pk=pk).select_related("attempt").first()
