"""The fixed sizes and settings of Project 3's checks, shared by probes and judges."""

from __future__ import annotations

import torch

OVERFIT_N, OVERFIT_LOSS, OVERFIT_STEPS = 10, 0.05, 150
VAL_THRESHOLD = 0.65
SUBSET_TRAIN, SUBSET_VAL, SUBSET_EPOCHS = 1500, 1000, 2
ES_TRAIN, ES_VAL, ES_EPOCHS = 384, 256, 3


def derange(labels: torch.Tensor) -> torch.Tensor:
    """Every label moved to the next class: a validation set a learning model gets worse
    on, so its best epoch is an early one."""
    return (labels + 1) % 10
