"""Training with InfoNCE on paraphrase pairs, and encoding texts into unit vectors."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .loss import info_nce
from .model import BagEncoder, build_model
from .tokenize import HashTokenizer


@dataclass(frozen=True)
class TrainConfig:
    buckets: int = 2**17  # hashed feature ids (collisions are rare at this size)
    # Wide on purpose: a verse's vector is the mean of a hundred-odd feature vectors, and
    # in 512 dimensions they are close to orthogonal, so the one word that tells two
    # near-identical verses apart still shows in the mean (docs/projects/p6-search.md).
    dim: int = 512  # embedding width
    out_dim: int = 512  # width of the sentence vectors
    epochs: int = 3
    batch_size: int = 256  # B - 1 negatives per positive: bigger batches, harder task
    lr: float = 3e-3
    temperature: float = 0.05  # the starting value when learned
    learn_temperature: bool = True
    symmetric: bool = True
    seed: int = 0
    max_tokens: int = 256  # features kept per text (a long verse's first ~45 words)
    # Batches of neighbouring pairs (the pairs' own order, cut at a random offset each
    # epoch) instead of a full shuffle: neighbours share names and phrasing, so the
    # in-batch negatives are harder. A random batch of verses is too easy to tell apart.
    neighbour_batches: bool = False


def train_encoder(config: TrainConfig, queries: Sequence[str], docs: Sequence[str],
                  on_epoch: Callable[[int, dict[str, float]], None] | None = None,
                  ) -> tuple[BagEncoder, HashTokenizer, dict[str, list[float]]]:
    """Fit an encoder so that ``queries[i]`` lands next to ``docs[i]`` and away from the
    other documents of its batch. Returns the model, its tokenizer and per-epoch history
    (mean loss, temperature)."""
    if len(queries) != len(docs):
        raise ValueError(f"{len(queries)} queries but {len(docs)} documents: pairs align")
    tokenizer = HashTokenizer(config.buckets, config.max_tokens)
    model = build_model(seed=config.seed, buckets=config.buckets, dim=config.dim,
                        out_dim=config.out_dim)
    # log(1/temperature) as the trained number keeps the temperature positive (CLIP).
    log_scale = torch.tensor(math.log(1.0 / config.temperature),
                             requires_grad=config.learn_temperature)
    dense = list(model.proj.parameters()) + ([log_scale] if config.learn_temperature else [])
    tables = list(model.embed.parameters()) + list(model.importance.parameters())
    optimizers = [torch.optim.SparseAdam(tables, lr=config.lr),
                  torch.optim.Adam(dense, lr=config.lr)]  # sparse rows, then the rest
    order_rng = random.Random(config.seed)  # shuffling owns its own seeded generator
    history: dict[str, list[float]] = {"loss": [], "temperature": []}
    model.train()
    for epoch in range(config.epochs):
        losses = []
        for batch in _batches(len(queries), config, order_rng):
            if len(batch) < 2:
                continue  # one pair has no negatives
            q = model(tokenizer([queries[i] for i in batch]))  # (B, out_dim)
            d = model(tokenizer([docs[i] for i in batch]))  # (B, out_dim)
            temperature = 1.0 / log_scale.clamp(max=math.log(100.0)).exp()  # >= 0.01
            loss = info_nce(q, d, temperature, symmetric=config.symmetric)
            for optimizer in optimizers:
                optimizer.zero_grad()
            loss.backward()
            for optimizer in optimizers:
                optimizer.step()
            losses.append(float(loss.detach()))
        scale = float(log_scale.detach().clamp(max=math.log(100.0)).exp())
        row = {"loss": float(np.mean(losses)), "temperature": 1.0 / scale}
        for key, value in row.items():
            history[key].append(value)
        if on_epoch is not None:
            on_epoch(epoch, row)
    return model.eval(), tokenizer, history


def _batches(n: int, config: TrainConfig, rng: random.Random) -> list[list[int]]:
    """One epoch's batches of pair indices, in a seeded random order."""
    size = config.batch_size
    if not config.neighbour_batches:
        order = list(range(n))
        rng.shuffle(order)
        return [order[s:s + size] for s in range(0, n, size)]
    offset = rng.randrange(size)
    cuts = [0, *range(offset or size, n, size), n]
    batches = [list(range(a, b)) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    rng.shuffle(batches)
    return batches


def encode(model: BagEncoder, tokenizer: HashTokenizer, texts: Sequence[str],
           batch_size: int = 512) -> np.ndarray:
    """texts -> float32 (N, out_dim), unit rows."""
    model.eval()
    parts = []
    with torch.no_grad():
        for start in range(0, len(texts), batch_size):
            parts.append(model(tokenizer(texts[start:start + batch_size])).numpy())
    if not parts:
        return np.zeros((0, model.out_dim), dtype=np.float32)
    return np.concatenate(parts).astype(np.float32)
