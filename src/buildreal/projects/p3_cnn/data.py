"""Fashion-MNIST and MNIST-1D as normalised tensors, with the validation split carved
from the training set (the test set is touched once, at the end)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from buildreal.projects.data import load_fashion_mnist, load_mnist1d

# Mean and standard deviation of Fashion-MNIST's training pixels, scaled to [0, 1].
FASHION_MEAN, FASHION_STD = 0.2860, 0.3530


@dataclass(frozen=True)
class Split:
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def images_to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 (N, 28, 28) -> normalised float32 (N, 1, 28, 28)."""
    x = torch.from_numpy(np.ascontiguousarray(images)).float().div_(255.0)
    return x.sub_(FASHION_MEAN).div_(FASHION_STD).unsqueeze(1)


def _carve(n: int, val_size: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    return perm[val_size:], perm[:val_size]


def fashion_split(val_size: int = 6000, limit: int | None = None, seed: int = 0) -> Split:
    """Training images minus a held-out validation set; the official 10,000 test images.

    ``limit`` keeps only the first ``limit`` training images (quick runs).
    """
    images, labels = load_fashion_mnist("train")
    test_images, test_labels = load_fashion_mnist("test")
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x, y = images_to_tensor(images), torch.from_numpy(labels)
    tr, va = _carve(len(x), min(val_size, len(x) // 5), seed)
    return Split(x[tr], y[tr], x[va], y[va], images_to_tensor(test_images),
                 torch.from_numpy(test_labels))


def mnist1d_split(val_size: int = 500, seed: int = 0) -> Split:
    """The paper's 4,000/1,000 split, with ``val_size`` of the 4,000 held out."""
    d = load_mnist1d()
    x = torch.from_numpy(d["x"]).unsqueeze(1)  # (4000, 1, 40)
    y = torch.from_numpy(d["y"])
    tr, va = _carve(len(x), val_size, seed)
    return Split(x[tr], y[tr], x[va], y[va], torch.from_numpy(d["x_test"]).unsqueeze(1),
                 torch.from_numpy(d["y_test"]))
