"""Dark mode: the theme script loads in <head> (no flash of the light page), the header
has its toggle, and every text colour of the dark palette keeps 4.5:1 on its ground."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "src" / "buildreal" / "web" / "static"
       / "buildreal" / "css" / "site.css").read_text(encoding="utf-8")


def dark_palette() -> dict[str, str]:
    block = re.search(r":root\[data-theme=dark\]\s*\{(.*?)\}", CSS, re.S).group(1)
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", block))


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


PAIRS = [("ink", ground) for ground in ("paper", "surface", "panel", "tint-ok", "tint-bad",
                                       "tint-warn", "tint-info", "tint-key")]
PAIRS += [("muted", "paper"), ("muted", "surface"), ("muted", "panel"),
          ("accent", "paper"), ("accent", "surface"), ("accent", "tint-info"),
          ("accent", "panel"), ("accent-ink", "accent"), ("ok", "tint-ok"),
          ("bad", "tint-bad"), ("warn", "tint-warn"), ("ok", "surface"), ("bad", "surface")]


@pytest.mark.parametrize(("text", "ground"), PAIRS)
def test_dark_palette_keeps_text_readable(text, ground):
    palette = dark_palette()
    assert contrast(palette[text], palette[ground]) >= 4.5, (text, ground)


def test_theme_script_runs_in_head_before_the_body_paints(client):
    page = client.get("/").content.decode()
    head = page[:page.index("</head>")]
    tag = re.search(r'<script src="/static/buildreal/js/theme.js"></script>', head)
    assert tag, "theme.js must load in <head>, without defer or async"
    assert 'id="theme-toggle"' in page and 'aria-pressed="false"' in page
