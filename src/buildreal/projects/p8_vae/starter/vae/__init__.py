"""Your Project 8 package: a convolutional VAE on Fashion-MNIST.

`buildreal project check p8-vae .` imports these names from here; keep them exported.
"""

from .loss import beta_at, elbo_loss, kl_divergence, reconstruction_nll
from .model import ConvVAE, build_model, reparameterize
from .sample import interpolate, sample
from .train import TrainConfig, train_vae

__all__ = [
    "ConvVAE",
    "TrainConfig",
    "beta_at",
    "build_model",
    "elbo_loss",
    "interpolate",
    "kl_divergence",
    "reconstruction_nll",
    "reparameterize",
    "sample",
    "train_vae",
]
