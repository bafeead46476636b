"""A small convolutional VAE: an encoder that outputs a Gaussian q(z|x) = N(mu, diag(var))
and a decoder that outputs Bernoulli pixel probabilities p(x|z)."""

from __future__ import annotations

import torch
from torch import nn


class ConvVAE(nn.Module):
    def __init__(self, latent_dim: int = 16, width: int = 32) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.width = width
        self.encoder = nn.Sequential(
            nn.Conv2d(1, width, 4, stride=2, padding=1), nn.ReLU(),           # (N, w, 14, 14)
            nn.Conv2d(width, 2 * width, 4, stride=2, padding=1), nn.ReLU(),   # (N, 2w, 7, 7)
            nn.Flatten(),                                                     # (N, 2w*49)
        )
        self.to_mu = nn.Linear(2 * width * 49, latent_dim)
        self.to_logvar = nn.Linear(2 * width * 49, latent_dim)
        self.from_z = nn.Sequential(nn.Linear(latent_dim, 2 * width * 49), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(2 * width, width, 4, stride=2, padding=1), nn.ReLU(),  # 14x14
            nn.ConvTranspose2d(width, 1, 4, stride=2, padding=1),                      # 28x28
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(N, 1, 28, 28) in [0, 1] -> mu, logvar, each (N, latent_dim)."""
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(N, latent_dim) -> pixel probabilities (N, 1, 28, 28) in [0, 1]."""
        h = self.from_z(z).view(-1, 2 * self.width, 7, 7)
        return torch.sigmoid(self.decoder(h))

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x -> (x_hat, mu, logvar): one reparameterised sample per image."""
        mu, logvar = self.encode(x)
        z = reparameterize(mu, logvar, generator)
        return self.decode(z), mu, logvar


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor,
                   generator: torch.Generator | None = None) -> torch.Tensor:
    """z = mu + sigma * eps with eps ~ N(0, I) drawn outside the graph, so gradients flow
    to mu and logvar through a deterministic function (the reparameterisation trick)."""
    std = torch.exp(0.5 * logvar)  # logvar is log(sigma^2), so sigma = exp(logvar / 2)
    eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
    return mu + std * eps


def build_model(latent_dim: int = 16, *, seed: int = 0, width: int = 32) -> ConvVAE:
    """A freshly initialised VAE; the same seed always gives the same weights."""
    torch.manual_seed(seed)
    return ConvVAE(latent_dim, width)
