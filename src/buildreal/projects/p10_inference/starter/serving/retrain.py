"""The retraining hook: record why retraining starts, then start it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


class RetrainHook:
    """Called by the monitor with a summary when the criteria of RETRAINING.md are met."""

    def __init__(self, queue_dir: str | Path,
                 launch: Callable[[Path], None] | None = None) -> None:
        self.queue_dir = Path(queue_dir)
        self.launch = launch

    def __call__(self, summary: dict[str, Any]) -> None:
        # TODO: write a job file (why, when) and start the training job via launch.
        raise NotImplementedError("RetrainHook")
