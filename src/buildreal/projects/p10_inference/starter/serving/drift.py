"""Drift monitoring: per-image features and predicted classes, compared window by window
with the training reference (PSI and the two-sample KS test)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

FEATURES = ("brightness", "contrast", "ink", "edges")


def image_features(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) -> (N, F) float features that a camera or sensor change moves."""
    raise NotImplementedError("image_features")


def psi(reference: np.ndarray, live: np.ndarray, bins: int = 10) -> float:
    """Population stability index of ``live`` against ``reference``: ten bins at the
    reference's deciles, shares floored at 1e-4."""
    raise NotImplementedError("psi")


def ks_2samp(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Two-sided two-sample KS test -> (statistic, p-value), like scipy.stats.ks_2samp."""
    raise NotImplementedError("ks_2samp")


@dataclass(frozen=True)
class DriftConfig:
    window: int = 200  # requests per window (at most 500)
    psi_threshold: float = 0.25
    ks_alpha: float = 1e-4
    prediction_psi_threshold: float = 0.25
    retrain_after: int = 3  # consecutive drifted windows before retraining


class DriftMonitor:
    """Collect requests into windows; compare each full window with the reference."""

    def __init__(self, reference_images: np.ndarray, reference_predictions: np.ndarray,
                 config: DriftConfig | None = None,
                 on_retrain: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.config = config or DriftConfig()
        # TODO: reference features, reference prediction histogram, an empty window.
        raise NotImplementedError("DriftMonitor")

    def observe(self, images: np.ndarray, predictions: np.ndarray) -> list[dict[str, Any]]:
        """Add one request's images and predicted classes. Return a report for every
        window this call completed: {"window", "end_request", "psi", "ks_pvalue",
        "prediction_psi", "alerts", "drifted", "retrain"}."""
        raise NotImplementedError("observe")
