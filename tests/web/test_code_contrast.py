"""The code theme's every token colour reads at 4.5:1 or better on the code background."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_of_black_on_white_is_21():
    assert round(contrast("#000", "#ffffff"), 1) == 21.0


@pytest.mark.django_db
def test_every_code_token_colour_has_at_least_4_5_to_1_on_the_code_background(client):
    from pathlib import Path

    css = client.get(reverse("catalog:pygments-css")).content.decode()
    site = (Path(__file__).resolve().parents[2] / "src/buildreal/web/static/buildreal/css/"
            "site.css").read_text()
    background = re.search(r"\bpre \{[^}]*background: (#[0-9a-fA-F]{3,6})", site).group(1)
    colours = set(re.findall(r"(?<![-\w])color: (#[0-9a-fA-F]{3,6})", css))
    assert len(colours) >= 5
    weak = {c: round(contrast(c, background), 2) for c in colours
            if contrast(c, background) < 4.5}
    assert weak == {}
