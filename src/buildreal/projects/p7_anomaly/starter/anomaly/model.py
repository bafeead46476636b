"""The autoencoder. Start small: a bottleneck narrower than the features."""

from __future__ import annotations

from torch import nn


def build_autoencoder(n_features: int, *, hidden: int = 32, latent: int = 4,
                      dropout: float = 0.1, seed: int = 0) -> nn.Module:
    """A freshly initialised MLP autoencoder; the same ``seed`` must give the same weights.

    Input and output: (N, n_features) standardised rows. The bottleneck (``latent``
    units) must be narrower than the input, or the network can learn the identity.
    """
    # TODO: seed torch, then return an nn.Module: Linear -> ReLU (-> Dropout) down to
    # `latent` units, and back up to n_features with a plain Linear at the end.
    raise NotImplementedError("build_autoencoder: write the encoder and decoder")
