from __future__ import annotations

from django.contrib import admin

from buildreal.teaching.models import Cohort


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "instructor", "created_at")
    filter_horizontal = ("learners",)
    search_fields = ("name", "instructor__username")
