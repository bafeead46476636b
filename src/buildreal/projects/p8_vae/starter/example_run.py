"""Train your VAE briefly on 2,000 images and save a grid of samples (a smoke test)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from vae import TrainConfig, sample, train_vae

from buildreal.projects.data import load_fashion_mnist

images, _labels = load_fashion_mnist("train")
x = torch.from_numpy(images[:2000]).float().div(255.0).unsqueeze(1)  # (2000, 1, 28, 28)
model, history = train_vae(TrainConfig(epochs=3, latent_dim=8), x)
print("training ELBO per epoch:", [round(v, 1) for v in history["elbo"]])
grid = sample(model, 16, generator=torch.Generator().manual_seed(0))  # (16, 1, 28, 28)
fig, axes = plt.subplots(2, 8, figsize=(8, 2))
for ax, image in zip(axes.flat, grid, strict=True):
    ax.imshow(image[0], cmap="gray", vmin=0, vmax=1)
    ax.axis("off")
fig.savefig("samples.png")
print("output_saved: samples.png")
