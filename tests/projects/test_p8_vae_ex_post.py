"""Project 8's ex-post sampler: a Gaussian mixture fitted on the encoder means after
training, then decoded (Ghosh et al. 2020). It must draw images of the right shape,
reproducibly from a seeded generator, from codes where the encoder actually puts them."""

from __future__ import annotations

import pytest
import torch

from buildreal.projects.p8_vae.reference.vae import (
    build_model,
    fit_ex_post,
    sample,
    sample_ex_post,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # see conftest.py


def _shifted_model() -> torch.nn.Module:
    """A small untrained VAE whose encoder means sit around 3 in every dimension, far from
    the prior N(0, I), as an aggregate posterior can after training."""
    model = build_model(4, seed=0, width=8)
    with torch.no_grad():
        model.to_mu.bias.fill_(3.0)
    return model.eval()


def _images(n: int = 300) -> torch.Tensor:
    torch.manual_seed(1)
    return torch.rand(n, 1, 28, 28)  # (n, 1, 28, 28) grey levels in [0, 1]


def test_ex_post_samples_are_images_reproducible_from_the_generator_seed():
    model = _shifted_model()
    density = fit_ex_post(model, _images(), n_components=3, seed=0)
    a = sample_ex_post(model, density, 12, generator=torch.Generator().manual_seed(7))
    b = sample_ex_post(model, density, 12, generator=torch.Generator().manual_seed(7))
    c = sample_ex_post(model, density, 12, generator=torch.Generator().manual_seed(8))
    assert a.shape == (12, 1, 28, 28)
    assert 0.0 <= float(a.min()) and float(a.max()) <= 1.0
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


def test_the_fitted_mixture_is_reproducible_with_its_seed():
    model, x = _shifted_model(), _images()
    one = fit_ex_post(model, x, n_components=3, seed=0)
    two = fit_ex_post(model, x, n_components=3, seed=0)
    assert one.means.shape == (3, 4) and one.chol.shape == (3, 4, 4)
    assert torch.equal(one.means, two.means) and torch.equal(one.chol, two.chol)
    assert float(one.weights.sum()) == pytest.approx(1.0, abs=1e-5)


def test_ex_post_codes_follow_the_encoder_means_not_the_prior():
    model, x = _shifted_model(), _images()
    with torch.no_grad():
        codes = model.encode(x)[0]  # (300, 4), centred near 3
    density = fit_ex_post(model, x, n_components=2, seed=0)
    seen: list[torch.Tensor] = []
    real_decode = model.decode
    model.decode = lambda z: (seen.append(z), real_decode(z))[1]  # record the codes decoded
    sample_ex_post(model, density, 4000, generator=torch.Generator().manual_seed(0))
    sample(model, 4000, generator=torch.Generator().manual_seed(0))
    ex_post, prior = seen
    assert torch.allclose(ex_post.mean(0), codes.mean(0), atol=0.05)
    assert torch.allclose(ex_post.std(0), codes.std(0), rtol=0.1)
    assert prior.mean(0).abs().max() < 0.1  # the prior sampler is left as it was
