"""InfoNCE with in-batch negatives (van den Oord et al. 2018; CLIP's symmetric form)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def info_nce(queries: torch.Tensor, docs: torch.Tensor, temperature: float | torch.Tensor,
             symmetric: bool = True) -> torch.Tensor:
    """queries, docs (B, D), unit rows; row i of each is a positive pair, every other
    row of the batch a negative. Returns the mean cross-entropy of picking the positive
    (both directions averaged when ``symmetric``)."""
    logits = queries @ docs.T / temperature  # (B, B): cosine similarities, sharpened
    labels = torch.arange(len(queries), device=queries.device)  # (B,): the diagonal
    loss = F.cross_entropy(logits, labels)  # query -> its document
    if symmetric:
        loss = (loss + F.cross_entropy(logits.T, labels)) / 2  # document -> its query
    return loss
