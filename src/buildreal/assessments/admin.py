from __future__ import annotations

from django.contrib import admin

from buildreal.assessments.models import Attempt, QuizAnswer


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "item_id", "number", "started_at", "submitted_at",
                    "score", "passed")
    list_filter = ("course_id", "item_id", "passed")
    search_fields = ("user__username",)


@admin.register(QuizAnswer)
class QuizAnswerAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "item_id", "question_id", "correct", "answered_at")
    list_filter = ("course_id", "item_id", "correct")
