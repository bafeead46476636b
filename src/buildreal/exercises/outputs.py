"""Built outputs of executed lesson code, for the site.

``buildreal serve`` builds every course's outputs at start (only the blocks not built
yet run); pages only read what is stored. A page asked for before that shows the code
without output rather than start a process inside a request.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from buildreal.packs.execute import (
    BlockOutput,
    BuildReport,
    build_outputs,
    close_runners,
    executed_blocks,
    load_output,
    output_file,
)
from buildreal.packs.model import Course

_lock = threading.Lock()
_generation = [0]  # bumped after each build, so cached pages pick up new outputs


def store() -> Path:
    return Path(settings.BUILDREAL_OUTPUTS_DIR)


def generation() -> int:
    return _generation[0]


def build(course: Course, jobs: int = 2) -> BuildReport:
    """Run the course's executed blocks that have no stored output yet."""
    with _lock:
        try:
            report = build_outputs(executed_blocks(course), store(), jobs=jobs)
        finally:
            close_runners()  # the server must not keep two torch processes idle
        _generation[0] += 1
    return report


def lookup(code: str) -> BlockOutput | None:
    return load_output(store(), code)


def find_file(key: str, name: str) -> Path | None:
    return output_file(store(), key, name)


def read_file(key: str, name: str) -> bytes | None:
    path = find_file(key, name)
    return path.read_bytes() if path is not None else None
