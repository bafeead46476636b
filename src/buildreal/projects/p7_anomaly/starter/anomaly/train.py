"""Training on normal rows only, and the whole experiment on given splits."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .detect import choose_threshold, reconstruction_error  # noqa: F401
from .model import build_autoencoder  # noqa: F401
from .scaling import Scaler, fit_scaler  # noqa: F401


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 20
    batch_size: int = 128
    lr: float = 3e-3
    hidden: int = 32
    latent: int = 4
    dropout: float = 0.1
    seed: int = 0
    target_fpr: float = 0.01  # the stated target the threshold is chosen for


@dataclass
class Detector:
    model: nn.Module
    scaler: Scaler
    history: list[float] = field(default_factory=list)  # mean training loss per epoch

    def score(self, x: np.ndarray) -> np.ndarray:
        """Raw rows (N, F) -> reconstruction errors (N,)."""
        xs = torch.from_numpy(self.scaler.transform(x))
        return reconstruction_error(self.model, xs).numpy().astype(np.float64)


@dataclass
class Experiment:
    detector: Detector
    threshold: float
    val_scores: np.ndarray  # (N_val,)
    test_scores: np.ndarray  # (N_test,)


def fit_detector(x_train: np.ndarray, y_train: np.ndarray, config: TrainConfig) -> Detector:
    """Fit the scaler and the autoencoder on the normal training rows (label 0) only."""
    # TODO: keep the normal rows, fit the scaler on them, build the model with
    # config.seed, and train it to reconstruct its input (mean squared error, Adam).
    # Shuffle with a torch.Generator seeded from config.seed. Record each epoch's loss.
    raise NotImplementedError("fit_detector")


def run_experiment(splits: dict[str, np.ndarray], config: TrainConfig) -> Experiment:
    """Train on the training split, pick the threshold on validation, score the test.

    ``splits`` holds ``x_train, y_train, x_val, y_val, x_test, y_test``.
    """
    # TODO: fit_detector on the training split, score validation and test, and choose
    # the threshold from the validation scores and labels.
    raise NotImplementedError("run_experiment")
