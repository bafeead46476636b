"""Flashcards: decks one card at a time, FSRS scheduling, the Review page, and cards
made from a learner's wrong answers. ``schedule`` and ``cards`` import no Django."""
