"""InfoNCE with in-batch negatives."""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401


def info_nce(queries: torch.Tensor, docs: torch.Tensor, temperature: float | torch.Tensor,
             symmetric: bool = True) -> torch.Tensor:
    """queries, docs (B, D), unit rows; row i of each is a positive pair and every other
    row of the batch a negative. Returns the mean cross-entropy of picking the positive;
    with ``symmetric``, the average of the query->document and document->query terms."""
    # TODO: the (B, B) similarity logits, scaled by the temperature, and cross-entropy
    # against the right labels.
    raise NotImplementedError("TODO: info_nce")
