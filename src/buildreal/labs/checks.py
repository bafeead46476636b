"""System checks for the lab partner's settings: a typo in the environment should stop
the server at start with the fix, not turn every lab reply into an error page."""

from __future__ import annotations

from typing import Any

from django.core import checks

from buildreal.tutor import LLMConfig, default_matcher


@checks.register("buildreal")
def check_lab_partner_settings(app_configs: Any = None, **kwargs: Any
                               ) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    try:
        LLMConfig.from_env()
    except ValueError as exc:
        problems.append(checks.Error(
            f"the lab partner's LLM settings are invalid: {exc}",
            hint="Fix or unset BUILDREAL_LLM_URL / BUILDREAL_LLM_MODEL / "
                 "BUILDREAL_LLM_TIMEOUT; without an LLM the partner words replies itself.",
            id="labs.E001",
        ))
    try:
        default_matcher()
    except Exception as exc:  # an unknown name, or "embedding" without the model
        problems.append(checks.Error(
            f"the lab partner cannot match statements: {exc}",
            hint="Set BUILDREAL_TUTOR_MATCHER to auto, embedding or lexical.",
            id="labs.E002",
        ))
    return problems
