"""A small CNN (the Project 3 family, narrower) and a short seeded training loop that
takes raw uint8 images and preprocesses them with the same function the service uses."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .preprocess import preprocess

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot")


def build_model(seed: int = 0, width: int = 8) -> nn.Module:
    """conv-BN-ReLU, pool, conv-BN-ReLU, pool, dropout, linear: logits (N, 10)."""
    torch.manual_seed(seed)
    w = width
    return nn.Sequential(
        nn.Conv2d(1, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(),
        nn.MaxPool2d(2),  # (N, w, 14, 14)
        nn.Conv2d(w, 2 * w, 3, padding=1, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(),
        nn.MaxPool2d(2),  # (N, 2w, 7, 7)
        nn.Flatten(), nn.Dropout(0.2), nn.Linear(2 * w * 49, len(CLASSES)),
    )


def train_model(images: np.ndarray, labels: np.ndarray, *, epochs: int = 1, seed: int = 0,
                batch_size: int = 64, lr: float = 3e-3) -> nn.Module:
    """Train on raw uint8 images (N, 28, 28); every random draw comes from ``seed``."""
    model = build_model(seed)
    x = torch.from_numpy(preprocess(images))  # (N, 1, 28, 28), the serving transform
    y = torch.from_numpy(np.array(labels, dtype=np.int64))  # a writable copy
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), batch_size):
            idx = order[i : i + batch_size]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model
