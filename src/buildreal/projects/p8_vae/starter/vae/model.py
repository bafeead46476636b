"""The VAE: an encoder giving q(z|x) = N(mu, diag(exp(logvar))) and a decoder giving
Bernoulli pixel probabilities p(x|z)."""

from __future__ import annotations

import torch
from torch import nn


class ConvVAE(nn.Module):
    def __init__(self, latent_dim: int = 16, width: int = 32) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.width = width
        # TODO: an encoder of two stride-2 convolutions (28 -> 14 -> 7), then two linear
        # heads for mu and logvar; a decoder that mirrors it with transposed convolutions.
        raise NotImplementedError("TODO: build the encoder and decoder layers")

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(N, 1, 28, 28) in [0, 1] -> mu, logvar, each (N, latent_dim)."""
        raise NotImplementedError("TODO: encode x into mu and logvar")

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(N, latent_dim) -> pixel probabilities (N, 1, 28, 28) in [0, 1]."""
        raise NotImplementedError("TODO: decode z into pixel probabilities")

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x -> (x_hat, mu, logvar) with one reparameterised sample per image."""
        raise NotImplementedError("TODO: encode, reparameterize, decode")


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor,
                   generator: torch.Generator | None = None) -> torch.Tensor:
    """z ~ N(mu, exp(logvar)) drawn so that gradients reach mu and logvar."""
    raise NotImplementedError("TODO: the reparameterisation trick")


def build_model(latent_dim: int = 16, *, seed: int = 0, width: int = 32) -> ConvVAE:
    """A freshly initialised VAE; the same seed must always give the same weights."""
    raise NotImplementedError("TODO: seed, then build ConvVAE")
