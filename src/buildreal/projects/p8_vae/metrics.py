"""Held-out metrics of a trained VAE: the ELBO and an importance-sampled log-likelihood
(Burda et al. 2016, the IWAE bound with k samples), in nats per image and bits per pixel.

Pixels are grey levels in [0, 1] scored as Bernoulli probabilities, the usual choice for
(Fashion-)MNIST VAEs; the numbers compare models under that likelihood, not as a density
over 8-bit images. A model trained with the calibrated Gaussian likelihood (sigma-VAE) is
scored under its own Gaussian with a fixed sigma instead (``log_sigma``): a density over
continuous grey levels, whose nats do not compare with the Bernoulli ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

PIXELS = 28 * 28


@dataclass(frozen=True)
class Scores:
    elbo: float  # nats per image (higher is better)
    log_likelihood: float  # importance-sampled estimate of log p(x), nats per image
    k: int

    @property
    def bits_per_dim(self) -> float:
        """-log p(x) in bits per pixel."""
        return -self.log_likelihood / (PIXELS * math.log(2.0))

    @property
    def elbo_bits_per_dim(self) -> float:
        return -self.elbo / (PIXELS * math.log(2.0))


def _log_normal(z: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """log N(z; mu, diag(exp(logvar))) summed over the last dimension."""
    return -0.5 * (math.log(2 * math.pi) + logvar + (z - mu).pow(2) / logvar.exp()).sum(-1)


@torch.no_grad()
def score(model: torch.nn.Module, x: torch.Tensor, k: int = 100, batch: int = 50,
          seed: int = 0, log_sigma: float | None = None) -> Scores:
    """The ELBO (one sample per image) and log p(x) ~ logmeanexp over k importance
    samples of log p(x|z) + log p(z) - log q(z|x); x is (N, 1, 28, 28) in [0, 1].
    p(x|z) is Bernoulli, or Gaussian with standard deviation exp(log_sigma) when given."""
    gen = torch.Generator().manual_seed(seed)
    model.eval()
    elbos, lls = [], []
    for start in range(0, len(x), batch):
        xb = x[start:start + batch]  # (B, 1, 28, 28)
        mu, logvar = model.encode(xb)  # (B, D)
        eps = torch.randn((k, *mu.shape), generator=gen)  # (k, B, D)
        z = mu + torch.exp(0.5 * logvar) * eps  # (k, B, D)
        x_hat = model.decode(z.reshape(-1, mu.shape[1])).reshape(k, len(xb), -1)
        target = xb.reshape(1, len(xb), -1).expand_as(x_hat)
        if log_sigma is None:
            log_px_z = -F.binary_cross_entropy(x_hat, target, reduction="none").sum(-1)
        else:
            log_px_z = -(0.5 * ((target - x_hat) / math.exp(log_sigma)).pow(2) + log_sigma
                         + 0.5 * math.log(2 * math.pi)).sum(-1)  # (k, B)
        log_pz = _log_normal(z, torch.zeros_like(z), torch.zeros_like(z))
        log_qz = _log_normal(z, mu, logvar)
        log_w = log_px_z + log_pz - log_qz  # (k, B)
        lls.append(torch.logsumexp(log_w, 0) - math.log(k))
        kl = 0.5 * (logvar.exp() + mu.pow(2) - 1 - logvar).sum(-1)
        elbos.append(log_px_z[0] - kl)
    return Scores(float(torch.cat(elbos).mean()), float(torch.cat(lls).mean()), k)
