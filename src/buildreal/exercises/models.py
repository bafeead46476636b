from __future__ import annotations

from django.conf import settings
from django.db import models

PREDICTION_MAX_LENGTH = 2000


class Prediction(models.Model):
    """What a learner predicted a ``::: predict`` block prints, before revealing it.

    A block is named by (course, item, ordinal): its position among the item's predict
    blocks. One prediction per learner and block; answering again replaces it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="predictions")
    course_id = models.CharField(max_length=100)
    item_id = models.CharField(max_length=100)
    ordinal = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=PREDICTION_MAX_LENGTH)
    content_hash = models.CharField(max_length=64)  # the item's version when answered
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_id", "item_id", "ordinal"],
                                    name="exercises_prediction_once"),
        ]
        indexes = [models.Index(fields=["user", "course_id", "item_id"])]

    def __str__(self) -> str:
        return f"{self.user} predicted {self.course_id}/{self.item_id}#{self.ordinal}"
