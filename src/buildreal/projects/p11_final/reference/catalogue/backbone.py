"""The backbone: Project 3's CNN with a second output, an L2-normalised embedding, and a
seeded training loop that also runs as one rank of a DistributedDataParallel job.

Why one loop for both: under DDP each of W ranks takes every W-th example of the same
seeded permutation and a batch of B/W, and the gradients are averaged across ranks, so
one step sees the same B examples as a single process would. Only batch norm differs
(each rank normalises its own B/W examples), which is why the write-up states an
accuracy tolerance rather than bit-identical weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from buildreal.projects.p3_cnn.reference.cnn.model import SmallCNN
from buildreal.projects.p3_cnn.reference.cnn.model import build_model as build_cnn
from buildreal.projects.p10_inference.reference.serving.preprocess import preprocess

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot")


class Backbone(nn.Module):
    """Logits and an embedding from one forward pass of the Project 3 network."""

    def __init__(self, cnn: SmallCNN) -> None:
        super().__init__()
        self.cnn = cnn

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        # x: (N, 1, 28, 28) preprocessed
        maps = self.cnn.features(x)  # (N, 4w, 7, 7)
        logits = self.cnn.head(maps)  # (N, 10)
        pooled = maps.mean(dim=(2, 3))  # (N, 4w): what the image looks like, not its class
        return logits, F.normalize(pooled, dim=1)  # cosine similarity = inner product


def build_model(seed: int = 0, width: int = 8) -> Backbone:
    """A fresh backbone; the same seed gives the same initial weights."""
    return Backbone(build_cnn(len(CLASSES), seed=seed, width=width))


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 2
    batch_size: int = 128
    """Global batch: under DDP each of W ranks takes batch_size // W."""
    lr: float = 3e-3
    seed: int = 0
    width: int = 8


def train_model(images: np.ndarray, labels: np.ndarray, config: TrainConfig | None = None,
                *, rank: int = 0, world: int = 1) -> Backbone:
    """Train on raw uint8 images (N, 28, 28) through the serving ``preprocess``.

    Every random draw (initial weights, shuffling, dropout) comes from ``config.seed``.
    With ``world > 1`` the caller has initialised a process group; the model is wrapped
    in DistributedDataParallel and this rank trains on its share of each global batch.
    """
    cfg = config or TrainConfig()
    model = build_model(cfg.seed, cfg.width)
    x = torch.from_numpy(preprocess(images))  # (N, 1, 28, 28), exactly what serving feeds
    y = torch.from_numpy(np.array(labels, dtype=np.int64))
    net: nn.Module = model
    if world > 1:
        net = nn.parallel.DistributedDataParallel(model)
    torch.manual_seed(cfg.seed + rank)  # dropout draws from the global generator
    gen = torch.Generator().manual_seed(cfg.seed)  # the same permutation on every rank
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    net.train()
    steps = len(x) // cfg.batch_size  # whole batches only: every rank gets its share
    if steps == 0 or cfg.batch_size < world:
        raise ValueError(f"{len(x)} images cannot fill one batch of {cfg.batch_size} split "
                         f"over {world} process(es)")
    for _ in range(cfg.epochs):
        order = torch.randperm(len(x), generator=gen)
        for i in range(0, steps * cfg.batch_size, cfg.batch_size):
            idx = order[i : i + cfg.batch_size][rank::world]  # this rank's share
            logits, _ = net(x[idx])
            loss = F.cross_entropy(logits, y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()  # DDP averages the gradients across ranks here
            opt.step()
    return model.eval()


@torch.no_grad()
def embed(model: nn.Module, images: np.ndarray, batch: int = 1000) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    """Logits (N, 10) and embeddings (N, D) of raw images, in evaluation mode."""
    model.eval()
    x = torch.from_numpy(preprocess(images))
    parts = [model(x[i : i + batch]) for i in range(0, len(x), batch)]
    return (torch.cat([p[0] for p in parts]).numpy(),
            torch.cat([p[1] for p in parts]).numpy())


def accuracy(model: nn.Module, images: np.ndarray, labels: np.ndarray) -> float:
    """Share of images whose arg-max class is the label."""
    logits, _ = embed(model, images)
    return float((logits.argmax(1) == np.asarray(labels)).mean())
