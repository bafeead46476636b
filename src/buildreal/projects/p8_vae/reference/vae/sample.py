"""Generating: decode draws from the prior N(0, I), and walk a line between two codes;
optionally decode draws from a density fitted on the codes after training (ex post)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .model import ConvVAE


@torch.no_grad()
def sample(model: ConvVAE, n: int, *, generator: torch.Generator) -> torch.Tensor:
    """n new images (n, 1, 28, 28) decoded from z ~ N(0, I) drawn with ``generator``."""
    model.eval()
    z = torch.randn(n, model.latent_dim, generator=generator)  # the prior, not q(z|x)
    return model.decode(z)


@torch.no_grad()
def interpolate(model: ConvVAE, x_a: torch.Tensor, x_b: torch.Tensor, steps: int = 8
                ) -> torch.Tensor:
    """Decode ``steps`` evenly spaced points on the line between the latent means of
    x_a and x_b (each (1, 1, 28, 28)): (steps, 1, 28, 28)."""
    model.eval()
    mu_a, _ = model.encode(x_a)
    mu_b, _ = model.encode(x_b)
    t = torch.linspace(0.0, 1.0, steps).unsqueeze(1)  # (steps, 1)
    z = (1 - t) * mu_a + t * mu_b  # (steps, latent_dim): interpolate codes, not pixels
    return model.decode(z)


@dataclass(frozen=True)
class LatentMixture:
    """A Gaussian mixture over latent codes: weights (K,), means (K, D), and the Cholesky
    factors (K, D, D) of its covariances, fitted after training (an ex-post density)."""

    weights: torch.Tensor
    means: torch.Tensor
    chol: torch.Tensor


@torch.no_grad()
def fit_ex_post(model: ConvVAE, x: torch.Tensor, n_components: int = 10, *, seed: int = 0,
                batch: int = 500) -> LatentMixture:
    """Fit a full-covariance Gaussian mixture on the encoder means of the training images
    x (N, 1, 28, 28): the aggregate posterior that the prior N(0, I) only approximates
    (Ghosh et al. 2020, "From variational to deterministic autoencoders")."""
    from sklearn.mixture import GaussianMixture  # imported here: only this sampler needs it

    model.eval()
    codes = torch.cat([model.encode(x[i:i + batch])[0] for i in range(0, len(x), batch)])
    gmm = GaussianMixture(n_components, covariance_type="full", random_state=seed)
    gmm.fit(codes.double().numpy())  # (N, D) encoder means
    return LatentMixture(torch.from_numpy(gmm.weights_).float(),
                         torch.from_numpy(gmm.means_).float(),
                         torch.linalg.cholesky(torch.from_numpy(gmm.covariances_)).float())


@torch.no_grad()
def sample_ex_post(model: ConvVAE, density: LatentMixture, n: int, *,
                   generator: torch.Generator) -> torch.Tensor:
    """n images (n, 1, 28, 28) decoded from codes drawn from the fitted mixture instead of
    the prior: pick a component by its weight, then mean + L @ eps."""
    model.eval()
    pick = torch.multinomial(density.weights, n, replacement=True, generator=generator)  # (n,)
    eps = torch.randn(n, density.means.shape[1], 1, generator=generator)  # (n, D, 1)
    z = density.means[pick] + (density.chol[pick] @ eps).squeeze(-1)  # (n, D)
    return model.decode(z)
