"""System check: the course packs load cleanly (run by `manage.py check`, `migrate`, and
`buildreal serve` before it serves)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from buildreal.catalog.content import courses_dir, pack_problems


@checks.register("buildreal")
def check_course_packs(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            problem,
            hint=f"Fix the pack under {courses_dir()} or point BUILDREAL_COURSES_DIR elsewhere.",
            id="buildreal.E001",
        )
        for problem in pack_problems()
    ]
