"""Generating: decode draws from the prior N(0, I), and walk a line between two codes."""

from __future__ import annotations

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
