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
        # TODO: subtract the mean, divide by the std, return float32.
        raise NotImplementedError("Scaler.transform")


def fit_scaler(x: np.ndarray) -> Scaler:
    """Per-feature mean and standard deviation of ``x`` (N, F)."""
    # TODO: one mean and one std per feature (axis 0). Replace a zero std by 1.
    raise NotImplementedError("fit_scaler")
