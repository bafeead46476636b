from __future__ import annotations

from django.contrib import admin

from buildreal.labs.models import LabSession


@admin.register(LabSession)
class LabSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "lab_id", "done", "completed", "score", "created_at")
    list_filter = ("course_id", "lab_id", "done", "completed")
    search_fields = ("user__username", "lab_id")
    readonly_fields = ("transcript", "state", "content_hash", "seed")
