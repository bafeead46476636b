"""Training on normal rows only, and the whole experiment on given splits."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .detect import choose_threshold, reconstruction_error
from .model import build_autoencoder
from .scaling import Scaler, fit_scaler


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
    normal = np.asarray(x_train)[np.asarray(y_train) == 0]
    scaler = fit_scaler(normal)
    x = torch.from_numpy(scaler.transform(normal))  # (N, F)
    model = build_autoencoder(x.shape[1], hidden=config.hidden, latent=config.latent,
                              dropout=config.dropout, seed=config.seed)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    gen = torch.Generator().manual_seed(config.seed)
    history = []
    for _ in range(config.epochs):
        model.train()
        perm = torch.randperm(len(x), generator=gen)
        total = 0.0
        for start in range(0, len(x), config.batch_size):
            batch = x[perm[start : start + config.batch_size]]  # (B, F)
            loss = ((model(batch) - batch) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(batch)
        history.append(total / len(x))
    return Detector(model=model, scaler=scaler, history=history)


def run_experiment(splits: dict[str, np.ndarray], config: TrainConfig) -> Experiment:
    """Train on the training split, pick the threshold on validation, score the test.

    ``splits`` holds ``x_train, y_train, x_val, y_val, x_test, y_test``.
    """
    x_train, y_train = splits["x_train"], splits["y_train"]
    x_val, y_val = splits["x_val"], splits["y_val"]
    x_test = splits["x_test"]
    detector = fit_detector(x_train, y_train, config)
    val_scores = detector.score(x_val)
    test_scores = detector.score(x_test)
    threshold = choose_threshold(val_scores, y_val, config.target_fpr)
    return Experiment(detector=detector, threshold=threshold, val_scores=val_scores,
                      test_scores=test_scores)
