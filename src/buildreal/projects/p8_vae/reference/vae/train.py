"""Seeded training with Adam, optional beta and KL warm-up; returns the model and the
per-epoch history of the training ELBO."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from .loss import beta_at, elbo_loss
from .model import ConvVAE, build_model


@dataclass(frozen=True)
class TrainConfig:
    latent_dim: int = 16
    width: int = 32
    epochs: int = 10
    batch_size: int = 128
    lr: float = 1e-3
    beta: float = 1.0
    warmup_steps: int = 0  # KL warm-up length in optimizer steps (0: none)
    likelihood: str = "bernoulli"  # or "gaussian": one calibrated sigma (sigma-VAE)
    seed: int = 0


def train_vae(config: TrainConfig, x_train: torch.Tensor,
              on_epoch: Callable[[int, dict[str, float]], None] | None = None
              ) -> tuple[ConvVAE, dict[str, list[float]]]:
    """Train on x_train (N, 1, 28, 28) in [0, 1]; history["elbo"] is per epoch (nats)."""
    model = build_model(config.latent_dim, seed=config.seed, width=config.width)
    gen = torch.Generator().manual_seed(config.seed)  # shuffling and eps, both seeded
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    history: dict[str, list[float]] = {"elbo": [], "recon": [], "kl": [], "beta": []}
    step = 0
    for epoch in range(config.epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        sums = {"elbo": 0.0, "recon": 0.0, "kl": 0.0}
        for start in range(0, len(x_train), config.batch_size):
            xb = x_train[order[start:start + config.batch_size]]
            beta = beta_at(step, config.warmup_steps, config.beta)
            x_hat, mu, logvar = model(xb, gen)
            loss, parts = elbo_loss(xb, x_hat, mu, logvar, beta, config.likelihood)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            for key in sums:
                sums[key] += parts[key] * len(xb)
        row = {key: value / len(x_train) for key, value in sums.items()}
        row["beta"] = beta
        for key, value in row.items():
            history[key].append(value)
        if on_epoch is not None:
            on_epoch(epoch, row)
    model.eval()
    return model, history
