"""The HTTP server behind ``buildreal serve``: granian running the WSGI application.

Why granian: its connections are handled by an asynchronous Rust runtime, so an idle,
half-sent or trickling connection costs a few kilobytes and no Python thread. Only a
complete request reaches one of the worker's Python threads. Waitress, used before, kept
each connection in a 100-slot table for up to 120 s, and 99 idle sockets from one client
made every other learner's request wait (issue 11).

The limits, per worker process:
- ``HEADER_READ_TIMEOUT_MS``: a client that has not sent a whole request head in this
  time is disconnected (slowloris), and so is a kept-alive connection left idle as long.
- ``BACKLOG`` and ``MAX_CONNECTIONS``: connections waiting to be accepted, and connections
  held at once. Far above a class's needs; past them new connections wait in the kernel
  queue rather than push out the open ones.
- ``threads``: Python threads running Django views; requests beyond them queue in Rust.
"""

from __future__ import annotations

from typing import Any

HEADER_READ_TIMEOUT_MS = 10_000
BACKLOG = 4096
MAX_CONNECTIONS = 4096
TARGET = "buildreal.web.wsgi:application"


def make_server(host: str, port: int, *, workers: int = 1, threads: int = 8,
                header_timeout_ms: int = HEADER_READ_TIMEOUT_MS,
                target: str = TARGET) -> Any:
    """A granian server for ``target`` (not started: call ``.serve()``)."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    return Granian(
        target, address=host, port=port, interface=Interfaces.WSGI,
        workers=workers, blocking_threads=threads,
        backlog=BACKLOG, backpressure=MAX_CONNECTIONS,
        http1_settings=HTTP1Settings(header_read_timeout=header_timeout_ms, keep_alive=True),
        websockets=False, respawn_failed_workers=True, log_access=False,
    )
