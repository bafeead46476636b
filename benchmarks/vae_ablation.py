"""Project 8 ablation: one VAE variant at a time, scored by the same Fréchet distance as
``benchmarks/vae.py`` (same P3-style feature CNN, same seeds, same 2,000 last test images),
to find which remedy closes the gap to GMM-on-PCA. Each run appends one JSON line.

For every variant it reports the distance of samples decoded from the prior N(0, I), from
a full Gaussian fitted on the training images' encoder means, from a 10-component mixture
fitted on them (ex post, drawn by scikit-learn), and of the reconstructions of the first
2,000 test images (the floor for any sampler with this decoder). ``--arch big`` adds a
3x3 convolution after each transposed convolution of the decoder; ``--lik sigma`` is the
calibrated Gaussian likelihood (sigma^2 = the batch's mean squared error).

    nice -n 10 .venv/bin/python benchmarks/vae_ablation.py --name sigma15 --lik sigma \\
        --epochs 15
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.mixture import GaussianMixture
from torch import nn

sys.path.insert(0, str(Path(__file__).parent))
import vae as bench  # noqa: E402  (benchmarks/vae.py: the classifier and the metric)

from buildreal.projects.data import load_fashion_mnist  # noqa: E402
from buildreal.projects.p8_vae.cli import to_unit  # noqa: E402
from buildreal.projects.p8_vae.reference.vae import (  # noqa: E402
    beta_at,
    build_model,
    kl_divergence,
    reparameterize,
)


class BigDecoderVAE(nn.Module):
    """The reference encoder; its decoder with a 3x3 convolution after each upsampling."""

    def __init__(self, latent: int, w: int) -> None:
        super().__init__()
        self.latent_dim, self.width = latent, w
        self.encoder = nn.Sequential(nn.Conv2d(1, w, 4, 2, 1), nn.ReLU(),
                                     nn.Conv2d(w, 2 * w, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.to_mu = nn.Linear(2 * w * 49, latent)
        self.to_logvar = nn.Linear(2 * w * 49, latent)
        self.from_z = nn.Sequential(nn.Linear(latent, 2 * w * 49), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1), nn.ReLU(),          # (N, w, 14, 14)
            nn.Conv2d(w, w, 3, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(w, w, 4, 2, 1), nn.ReLU(),              # (N, w, 28, 28)
            nn.Conv2d(w, 1, 3, padding=1))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.decoder(self.from_z(z).view(-1, 2 * self.width, 7, 7)))


def recon_nll(x_hat: torch.Tensor, x: torch.Tensor, lik: str) -> torch.Tensor:
    """Per-image reconstruction term: Bernoulli, or Gaussian with sigma^2 = batch MSE."""
    if lik == "bernoulli":
        return F.binary_cross_entropy(x_hat, x, reduction="none").flatten(1).sum(1)
    log_sigma = 0.5 * torch.log((x_hat - x).pow(2).mean().clamp_min(1e-6))
    per_pixel = 0.5 * (x_hat - x).pow(2) / torch.exp(2 * log_sigma) + log_sigma \
        + 0.5 * math.log(2 * math.pi)
    return per_pixel.flatten(1).sum(1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--name", required=True)
    p.add_argument("--limit", type=int, default=12000)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--latent", type=int, default=16)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--beta", type=float, default=1.0)
    p.add_argument("--warmup", type=int, default=500)
    p.add_argument("--lik", choices=("bernoulli", "sigma"), default="bernoulli")
    p.add_argument("--arch", choices=("ref", "big"), default="ref")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", type=Path, default=Path("runs/p8-vae/ablation.jsonl"))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    images, labels = load_fashion_mnist("train")
    t_images, _ = load_fashion_mnist("test")
    x, x_test, n = to_unit(images[: a.limit]), to_unit(t_images), 2000
    clf = bench.train_classifier(x, torch.from_numpy(labels[: a.limit].astype(np.int64)), 2)
    real = bench.feats(clf, x_test[-n:])

    model = build_model(a.latent, seed=0, width=a.width) if a.arch == "ref" else \
        BigDecoderVAE(a.latent, a.width)
    gen = torch.Generator().manual_seed(0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    t0, cpu0, step = time.perf_counter(), time.process_time(), 0
    for _epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(x), generator=gen)
        for start in range(0, len(x), 128):
            xb = x[order[start:start + 128]]
            mu, logvar = model.encode(xb)
            x_hat = model.decode(reparameterize(mu, logvar, gen))
            loss = (recon_nll(x_hat, xb, a.lik)
                    + beta_at(step, a.warmup, a.beta) * kl_divergence(mu, logvar)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
    model.eval()
    res: dict[str, object] = {**vars(a), "out": str(a.out),
                              "train_s": time.perf_counter() - t0,
                              "train_cpu_s": time.process_time() - cpu0,
                              "load_after": os.getloadavg()}
    with torch.no_grad():
        codes = torch.cat([model.encode(x[i:i + 500])[0] for i in range(0, len(x), 500)])
        prior = model.decode(torch.randn(n, a.latent, generator=torch.Generator().manual_seed(1)))
        res["fd_prior"] = bench.frechet(bench.feats(clf, prior), real)
        gauss = np.random.default_rng(1).multivariate_normal(
            codes.mean(0).numpy(), np.cov(codes.numpy(), rowvar=False), n)
        res["fd_gaussian_on_codes"] = bench.frechet(
            bench.feats(clf, model.decode(torch.from_numpy(gauss).float())), real)
        mixture = GaussianMixture(10, covariance_type="full", random_state=0).fit(codes.numpy())
        drawn, _ = mixture.sample(n)
        res["fd_ex_post"] = bench.frechet(
            bench.feats(clf, model.decode(torch.from_numpy(drawn).float())), real)
        recon = model.decode(model.encode(x_test[:n])[0])
        res["fd_reconstructions"] = bench.frechet(bench.feats(clf, recon), real)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with a.out.open("a") as f:
        f.write(json.dumps(res) + "\n")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
