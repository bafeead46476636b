"""The negative ELBO, per image: reconstruction (Bernoulli) plus the Gaussian KL."""

from __future__ import annotations

import torch


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) per example: (N, D) -> (N,)."""
    raise NotImplementedError("TODO: the closed-form Gaussian KL")


def reconstruction_nll(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Bernoulli negative log-likelihood in nats per image: (N, 1, 28, 28) -> (N,)."""
    raise NotImplementedError("TODO: binary cross-entropy, summed over each image's pixels")


def elbo_loss(x: torch.Tensor, x_hat: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
              beta: float = 1.0) -> tuple[torch.Tensor, dict[str, float]]:
    """(loss to minimise, {"recon", "kl", "elbo"}): mean over the batch of
    recon + beta * KL."""
    raise NotImplementedError("TODO: combine both terms on one scale")


def beta_at(step: int, warmup_steps: int, beta_max: float = 1.0) -> float:
    """KL warm-up: the beta to use at an optimizer step."""
    raise NotImplementedError("TODO: a linear warm-up from 0 to beta_max")
