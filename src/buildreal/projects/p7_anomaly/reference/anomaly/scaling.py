"""Standardisation whose statistics come from the training rows only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scaler:
    mean: np.ndarray  # (F,)
    std: np.ndarray  # (F,), never zero

    def transform(self, x: np.ndarray) -> np.ndarray:
        """(N, F) raw rows -> (N, F) float32 standardised with the stored statistics."""
        return ((np.asarray(x, dtype=np.float64) - self.mean) / self.std).astype(np.float32)


def fit_scaler(x: np.ndarray) -> Scaler:
    """Per-feature mean and standard deviation of ``x`` (N, F). A constant feature gets a
    standard deviation of 1, so it neither divides by zero nor dominates the error."""
    x = np.asarray(x, dtype=np.float64)
    std = x.std(axis=0)
    return Scaler(mean=x.mean(axis=0), std=np.where(std > 1e-12, std, 1.0))
