"""The retraining hook: what happens when the criteria in RETRAINING.md are met.

The monitor decides *when* (``DriftConfig.retrain_after`` drifted windows in a row); this
hook records *why* in a job file and starts the job, so a retraining is never silent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class RetrainHook:
    """Call with the monitor's summary: writes ``retrain-<n>.json`` and runs ``launch``."""

    def __init__(self, queue_dir: str | Path,
                 launch: Callable[[Path], None] | None = None) -> None:
        self.queue_dir = Path(queue_dir)
        self.launch = launch
        self.jobs: list[Path] = []

    def __call__(self, summary: dict[str, Any]) -> None:
        self.queue_dir.mkdir(parents=True, exist_ok=True)
        job = self.queue_dir / f"retrain-{len(self.jobs) + 1}.json"
        job.write_text(json.dumps({"requested_at": time.time(), **summary}, indent=2))
        self.jobs.append(job)
        if self.launch is not None:
            self.launch(job)
