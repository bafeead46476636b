"""Send a checked project to a buildreal site (``buildreal project check ID --submit``).

Pure Python with httpx: no Django. The token comes from the learner's Toolkit token page
on the site; the site keeps only its hash and decides on its own whether every DoD item
passes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import httpx

SUBMIT_PATH = "/api/projects/submissions/"
DEFAULT_SITE = "http://127.0.0.1:8000"


class SubmitError(RuntimeError):
    """The submission did not reach the site or was refused; the message says why."""


@dataclass(frozen=True)
class Reply:
    passed: bool
    completed: bool
    message: str
    url: str


def site_from_env(given: str | None) -> str:
    return (given or os.environ.get("BUILDREAL_SITE") or DEFAULT_SITE).rstrip("/")


def token_from_env(given: str | None) -> str:
    token = (given or os.environ.get("BUILDREAL_TOKEN") or "").strip()
    if not token:
        raise SubmitError("No toolkit token: make one on the site's Toolkit token page "
                          "(your account menu) and run `export BUILDREAL_TOKEN=...`.")
    return token


def send(site: str, token: str, payload: dict[str, Any], timeout: float = 30.0,
         transport: httpx.BaseTransport | None = None) -> Reply:
    """POST ``payload`` to ``site``; raise ``SubmitError`` with a clear reason on any
    failure (unreachable site, refused token, payload not for this project)."""
    url = site.rstrip("/") + SUBMIT_PATH
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            response = client.post(url, json=payload,
                                   headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        raise SubmitError(f"Could not reach {site} ({exc.__class__.__name__}: {exc}). Check "
                          "BUILDREAL_SITE and your connection; your local check result "
                          "is unchanged.") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 401:
        raise SubmitError(f"{site} refused the token: {body.get('error', 'unauthorized')}")
    if response.status_code >= 400 or not body.get("ok"):
        reason = body.get("error") or f"HTTP {response.status_code}"
        raise SubmitError(f"{site} did not accept the submission: {reason}")
    return Reply(bool(body.get("passed")), bool(body.get("completed")),
                 str(body.get("message", "")), str(body.get("url", "")))
