from __future__ import annotations

from django.contrib import admin

from buildreal.progress.models import Completion


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "item_id", "xp", "completed_at")
    list_filter = ("course_id",)
    search_fields = ("user__username", "item_id")
