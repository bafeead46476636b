"""The autoencoder: features squeezed through a small bottleneck and expanded back."""

from __future__ import annotations

import torch
from torch import nn


def build_autoencoder(n_features: int, *, hidden: int = 32, latent: int = 4,
                      dropout: float = 0.1, seed: int = 0) -> nn.Module:
    """A freshly initialised MLP autoencoder; the same ``seed`` gives the same weights.

    Input and output (N, n_features) standardised rows. The bottleneck (``latent`` units,
    fewer than the features) stops the network from learning the identity, so rows
    unlike the training data reconstruct badly.
    """
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(n_features, hidden), nn.ReLU(), nn.Dropout(dropout),
        nn.Linear(hidden, latent), nn.ReLU(),
        nn.Linear(latent, hidden), nn.ReLU(), nn.Dropout(dropout),
        nn.Linear(hidden, n_features),
    )
