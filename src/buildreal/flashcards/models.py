from __future__ import annotations

from django.conf import settings
from django.db import models


class CardState(models.Model):
    """One learner's memory of one card, as the FSRS library keeps it.

    A card is a flashcard of a deck (``source="deck"``, ``card_id`` the pack's card id)
    or a question the learner answered wrongly (``source="quiz"`` or ``"test"``,
    ``card_id`` ``q-<question id>``). A test card keeps the attempt whose sheet it came
    from: the card shows the question as that attempt showed it (its variant), and its
    back only once that test's review policy reveals the answers.
    """

    SOURCES = [("deck", "Deck"), ("quiz", "Quiz answer"), ("test", "Test answer")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_states"
    )
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    card_id = models.CharField(max_length=110)
    source = models.CharField(max_length=10, choices=SOURCES)
    attempt = models.ForeignKey(
        "assessments.Attempt", on_delete=models.CASCADE, null=True, blank=True,
        related_name="mistake_cards",
    )
    fsrs = models.JSONField()  # fsrs.Card.to_dict() without its card_id
    due = models.DateTimeField()
    reviews = models.PositiveIntegerField(default=0)
    last_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_id", "item_id", "card_id"],
                name="flashcards_one_state_per_card",
            )
        ]
        indexes = [models.Index(fields=["user", "due"])]
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.user} {self.course_id}/{self.item_id}/{self.card_id} due {self.due}"
