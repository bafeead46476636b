"""The negative ELBO: a Bernoulli reconstruction term plus the closed-form Gaussian KL,
both per image (summed over pixels or latent dimensions), then averaged over the batch.

Optionally the reconstruction term is a Gaussian with one calibrated variance for all
pixels (the "optimal sigma-VAE" of Rybkin et al. 2021): grey levels are then scored by
squared error against the noise level the decoder actually reaches, which weighs mid-grey
texture as much as the background and gives sharper decodes than the Bernoulli term.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) per example: (N, D) -> (N,)."""
    # Closed form for two Gaussians (Kingma & Welling 2014, Auto-Encoding Variational
    # Bayes, appendix B): -1/2 * sum(1 + log sigma^2 - mu^2 - sigma^2).
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def reconstruction_nll(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Bernoulli negative log-likelihood in nats per image: (N, 1, 28, 28) -> (N,)."""
    bce = F.binary_cross_entropy(x_hat, x, reduction="none")  # x_hat holds probabilities
    return bce.flatten(1).sum(dim=1)


def calibrated_log_sigma(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """log sigma of the one Gaussian noise level that best explains this batch: sigma^2 is
    the mean squared error over every pixel (a scalar, held out of the gradient)."""
    mse = (x - x_hat).detach().pow(2).mean()
    return 0.5 * torch.log(mse.clamp_min(1e-6))  # floor: sigma never below 1e-3


def gaussian_nll(x_hat: torch.Tensor, x: torch.Tensor, log_sigma: torch.Tensor | float
                 ) -> torch.Tensor:
    """Gaussian negative log-density N(x; x_hat, sigma^2) in nats per image, summed over
    pixels: (N, 1, 28, 28) -> (N,)."""
    log_sigma = torch.as_tensor(log_sigma, dtype=x.dtype)
    per_pixel = 0.5 * ((x - x_hat) / log_sigma.exp()).pow(2) + log_sigma \
        + 0.5 * math.log(2 * math.pi)
    return per_pixel.flatten(1).sum(dim=1)


def elbo_loss(x: torch.Tensor, x_hat: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
              beta: float = 1.0, likelihood: str = "bernoulli"
              ) -> tuple[torch.Tensor, dict[str, float]]:
    """The loss to minimise, mean over the batch of recon + beta * KL, and its parts;
    likelihood is "bernoulli" or "gaussian" (one calibrated sigma, see the module)."""
    if likelihood == "bernoulli":
        recon = reconstruction_nll(x_hat, x)  # (N,)
    elif likelihood == "gaussian":
        recon = gaussian_nll(x_hat, x, calibrated_log_sigma(x_hat, x))  # (N,)
    else:
        raise ValueError(f"likelihood is 'bernoulli' or 'gaussian', not {likelihood!r}")
    kl = kl_divergence(mu, logvar)  # (N,)
    loss = (recon + beta * kl).mean()
    with torch.no_grad():
        parts = {"recon": float(recon.mean()), "kl": float(kl.mean()),
                 "elbo": float(-(recon + kl).mean())}
    return loss, parts


def beta_at(step: int, warmup_steps: int, beta_max: float = 1.0) -> float:
    """KL warm-up: beta rises linearly from 0 to beta_max over warmup_steps, then stays."""
    if warmup_steps <= 0:
        return beta_max
    return beta_max * min(1.0, step / warmup_steps)
