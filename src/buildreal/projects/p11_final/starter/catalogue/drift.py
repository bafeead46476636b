"""Drift monitors on the image inputs and the prediction mix: your Project 10 monitor
with the thresholds RETRAINING.md states."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


class DriftMonitor:
    """Windows of requests compared with the reference; ``config`` holds the numbers."""

    def __init__(self, reference_images: np.ndarray, reference_predictions: np.ndarray,
                 config: Any = None,
                 on_retrain: Callable[[dict[str, Any]], None] | None = None) -> None:
        raise NotImplementedError("DriftMonitor: reuse your Project 10 monitor")

    def observe(self, images: np.ndarray, predictions: np.ndarray) -> list[dict[str, Any]]:
        """Reports of the windows this call completed: {"end_request", "drifted",
        "alerts", ...}."""
        raise NotImplementedError("observe")
