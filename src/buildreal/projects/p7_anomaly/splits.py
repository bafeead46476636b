"""The semi-supervised protocol's splits, shared by the demo, the checks and the benchmark.

Training holds normal rows only (60% of them); validation gets 20% of the normals and
half of the anomalies; the test split gets the rest. Anomalies are never trained on, and
the test split decides nothing.
"""

from __future__ import annotations

import numpy as np


def make_splits(x: np.ndarray, y: np.ndarray, seed: int = 0) -> dict[str, np.ndarray]:
    """``x_train, y_train, x_val, y_val, x_test, y_test`` from (N, F) rows and labels."""
    rng = np.random.default_rng(seed)
    normal = rng.permutation(np.nonzero(y == 0)[0])
    odd = rng.permutation(np.nonzero(y == 1)[0])
    a, b = int(0.6 * len(normal)), int(0.8 * len(normal))
    h = len(odd) // 2
    parts = {"train": normal[:a], "val": np.concatenate([normal[a:b], odd[:h]]),
             "test": np.concatenate([normal[b:], odd[h:]])}
    out: dict[str, np.ndarray] = {}
    for name, idx in parts.items():
        idx = np.sort(idx)
        out[f"x_{name}"], out[f"y_{name}"] = x[idx], y[idx].astype(np.int64)
    return out
