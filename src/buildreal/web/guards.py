"""Middleware that turns two kinds of trouble into pages a learner can act on.

``InputGuard`` refuses, before any view runs, a request whose query or form values
contain a NUL character (PostgreSQL cannot store one in text: it failed mid-transaction
with a 500, and cut a lab reply's stream) and a form too large to read (Django's bare
400). ``DiskFullGuard`` answers a write that failed because the disk or database is
full with a page saying the last change was not saved, and logs why.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger("buildreal.web")

NUL_MESSAGE = ("Your input contains a NUL character (\\0), which cannot be stored. Remove it "
               "(it usually comes from pasting binary text) and send it again.")
TOO_BIG_MESSAGE = ("What you sent is too large to read. Lab messages take up to 2,000 "
                   "characters: split a long argument over two turns.")
_DISK_FULL = ("database or disk is full", "no space left on device", "disk full",
              "could not extend file")


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if request.headers.get("HX-Request") == "true" or request.headers.get(
            "Accept", "").startswith("application/json"):
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return render(request, "web/problem.html",
                  {"title": "Not sent", "message": message}, status=status)


class InputGuard:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            data = [request.GET]
            if request.method == "POST":
                data.append(request.POST)
        except RequestDataTooBig:
            return _refuse(request, TOO_BIG_MESSAGE, 413)
        for values in data:
            for key, items in values.lists():
                if "\x00" in key or any("\x00" in item for item in items):
                    return _refuse(request, NUL_MESSAGE, 400)
        return self.get_response(request)


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, DatabaseError | OSError):
        text = str(exc).lower()
        cause = exc.__cause__
        return any(mark in text for mark in _DISK_FULL) or (
            cause is not None and cause is not exc and is_disk_full(cause))
    return False


class DiskFullGuard:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception
                          ) -> HttpResponse | None:
        if not is_disk_full(exception):
            return None
        log.error("a write failed because storage is full (%s %s): %s: %s", request.method,
                  request.path, type(exception).__name__, exception)
        message = ("Your last change was not saved: the server has run out of storage "
                   "space. Nothing you saved before is lost. Try again in a few minutes; "
                   "if it keeps failing, tell your instructor.")
        return _refuse(request, message, 507)
