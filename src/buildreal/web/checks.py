"""System checks for the site itself (the packs have their own, in catalog/checks.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core import checks

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
VENDORED = ("htmx.min.js", "katex/katex.min.js", "katex/katex.min.css",
            "katex/auto-render.min.js")


@checks.register("buildreal")
def check_vendored_assets(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """KaTeX and HTMX come from npm at set-up, never from a CDN; say so if they are absent."""
    missing = [name for name in VENDORED if not (VENDOR / name).is_file()]
    if not missing:
        return []
    return [checks.Warning(
        f"front-end assets missing from {VENDOR}: {', '.join(missing)}",
        hint="Run scripts/setup.sh, which installs them from npm (math and instant quiz "
             "feedback need them; every form still works without).",
        id="buildreal.W001",
    )]
