"""Project 8's optional calibrated-Gaussian likelihood (the optimal sigma-VAE of Rybkin et
al. 2021): the per-image density is the Gaussian one, sigma is the value that explains the
batch best, training with it improves its own ELBO, and held-out scoring under it keeps
the importance-sampled bound above the ELBO. The Bernoulli default is left as it was."""

from __future__ import annotations

import math

import pytest
import torch

from buildreal.projects.p8_vae.metrics import score
from buildreal.projects.p8_vae.reference.vae import (
    TrainConfig,
    build_model,
    calibrated_log_sigma,
    elbo_loss,
    gaussian_nll,
    reconstruction_nll,
    train_vae,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _pair() -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(6, 1, 28, 28, generator=gen)  # (6, 1, 28, 28)
    x_hat = (x + 0.1 * torch.randn(x.shape, generator=gen)).clamp(0, 1)
    return x, x_hat


def test_gaussian_nll_is_the_normal_density_summed_over_each_images_pixels():
    x, x_hat = _pair()
    want = -torch.distributions.Normal(x_hat, math.exp(-1.5)).log_prob(x).flatten(1).sum(1)
    got = gaussian_nll(x_hat, x, -1.5)
    assert got.shape == (6,)
    assert torch.allclose(got, want, rtol=1e-4)


def test_the_calibrated_sigma_is_the_one_that_minimises_the_batch_nll():
    x, x_hat = _pair()
    best = calibrated_log_sigma(x_hat, x)
    assert float(best.exp()) == pytest.approx(float((x - x_hat).pow(2).mean().sqrt()), rel=1e-5)
    nll = float(gaussian_nll(x_hat, x, best).mean())
    for shift in (-0.3, -0.05, 0.05, 0.3):
        assert float(gaussian_nll(x_hat, x, best + shift).mean()) > nll


def test_elbo_loss_keeps_bernoulli_by_default_and_rejects_an_unknown_likelihood():
    x, x_hat = _pair()
    mu, logvar = torch.zeros(6, 3), torch.zeros(6, 3)  # KL = 0
    loss, _ = elbo_loss(x, x_hat, mu, logvar)
    assert float(loss) == pytest.approx(float(reconstruction_nll(x_hat, x).mean()), rel=1e-6)
    gauss, _ = elbo_loss(x, x_hat, mu, logvar, 1.0, "gaussian")
    assert float(gauss) == pytest.approx(
        float(gaussian_nll(x_hat, x, calibrated_log_sigma(x_hat, x)).mean()), rel=1e-6)
    with pytest.raises(ValueError, match="bernoulli"):
        elbo_loss(x, x_hat, mu, logvar, 1.0, "laplace")


def _fashion(n: int) -> torch.Tensor:
    from buildreal.projects.data import load_fashion_mnist
    from buildreal.projects.p8_vae.cli import to_unit

    images, _labels = load_fashion_mnist("train")
    return to_unit(images[:n])  # (n, 1, 28, 28)


def test_training_with_the_gaussian_likelihood_raises_its_held_out_elbo():
    x = _fashion(640)
    train, held = x[:512], x[512:]
    config = TrainConfig(latent_dim=4, width=8, epochs=2, batch_size=32, lr=5e-3,
                         likelihood="gaussian", seed=0)
    model, history = train_vae(config, train)
    with torch.no_grad():
        mu, _ = model.encode(train)
        log_sigma = float(calibrated_log_sigma(model.decode(mu), train))
    before = score(build_model(4, seed=0, width=8), held, k=1, log_sigma=log_sigma)
    after = score(model, held, k=16, log_sigma=log_sigma)
    assert history["elbo"][-1] > history["elbo"][0]
    assert after.elbo > before.elbo + 100  # nats per image under the same Gaussian
    assert after.log_likelihood >= after.elbo  # the IWAE bound is at least the ELBO
