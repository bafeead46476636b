"""Drift monitors for the catalogue service: Project 10's window monitor (PSI and KS on
four image features, PSI on the predicted-class mix) with the thresholds this service
documents in RETRAINING.md.

The monitor is Project 10's, not a copy: what changes here is only the configuration
and what the service does with an alert (a gauge, a counter, a retraining job).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from buildreal.projects.p10_inference.reference.serving.drift import DriftConfig
from buildreal.projects.p10_inference.reference.serving.drift import (
    DriftMonitor as WindowMonitor,
)

# The criteria RETRAINING.md states, in one place: windows of 200 images; a feature
# alerts when its PSI > 0.25 or its KS p-value < 1e-4; the class mix alerts when its PSI >
# 0.25; three drifted windows in a row call the retraining hook.
CONFIG = DriftConfig(window=200, psi_threshold=0.25, ks_alpha=1e-4,
                     prediction_psi_threshold=0.25, retrain_after=3)


class DriftMonitor(WindowMonitor):
    """The image-input and prediction-mix monitor with the documented thresholds."""

    def __init__(self, reference_images: np.ndarray, reference_predictions: np.ndarray,
                 config: DriftConfig | None = None,
                 on_retrain: Callable[[dict[str, Any]], None] | None = None) -> None:
        super().__init__(reference_images, reference_predictions, config or CONFIG,
                         on_retrain)
