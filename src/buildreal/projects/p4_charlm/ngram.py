"""The baseline: character n-gram models with Witten-Bell interpolated smoothing.

Witten and Bell (1991); interpolated form as in Chen and Goodman (1998):

    P(c | h) = (C(h c) + T(h) * P(c | h')) / (C(h) + T(h))

where h' drops the oldest character of h, C counts training occurrences and T(h) is the
number of distinct characters seen after h. An unseen context falls back to P(c | h')
entirely; the recursion ends at the uniform distribution. Counting and lookup are NumPy
over integer codes of the n-grams (base-V numbers), so a 4.6-million-character corpus is
counted in seconds.
"""

from __future__ import annotations

import math

import numpy as np


def _codes(data: np.ndarray, k: int, v: int) -> np.ndarray:
    """Code of the k characters before each position i >= k, as a base-v number."""
    n = len(data)
    codes = np.zeros(n - k, dtype=np.int64)
    for j in range(k):
        codes = codes * v + data[j : n - k + j]
    return codes


class NgramModel:
    """All orders up to ``max_order`` at once: order n uses n - 1 characters of context."""

    def __init__(self, train: np.ndarray, vocab_size: int, max_order: int = 7) -> None:
        if vocab_size ** max_order >= 2**62:
            raise ValueError(f"order {max_order} overflows int64 codes for {vocab_size} symbols")
        self.v, self.max_order = vocab_size, max_order
        self.tables = []  # per context length k: (pair codes, pair counts, ctx codes, C, T)
        data = train.astype(np.int64)
        for k in range(max_order):
            ctx = _codes(data, k, self.v)  # (N - k,)
            pair = ctx * self.v + data[k:]
            pairs, pair_counts = np.unique(pair, return_counts=True)
            contexts, first, distinct = np.unique(pairs // self.v, return_index=True,
                                                  return_counts=True)
            totals = np.add.reduceat(pair_counts, first)
            self.tables.append((pairs, pair_counts, contexts, totals, distinct))

    @staticmethod
    def _lookup(keys: np.ndarray, table: np.ndarray, values: np.ndarray) -> np.ndarray:
        idx = np.searchsorted(table, keys)
        idx = np.minimum(idx, len(table) - 1)
        found = table[idx] == keys
        return np.where(found, values[idx], 0)

    def probabilities(self, text: np.ndarray) -> dict[int, np.ndarray]:
        """{order: P(text[i] | its context)} for every position i >= max_order - 1."""
        data = text.astype(np.int64)
        start = self.max_order - 1
        target = data[start:]
        p = np.full(len(target), 1.0 / self.v)
        result = {}
        for k, (pairs, pair_counts, contexts, totals, distinct) in enumerate(self.tables):
            ctx = _codes(data, k, self.v)[start - k :]  # contexts of the scored positions
            c_hc = self._lookup(ctx * self.v + target, pairs, pair_counts)
            c_h = self._lookup(ctx, contexts, totals)
            t_h = self._lookup(ctx, contexts, distinct)
            p = np.where(c_h > 0, (c_hc + t_h * p) / np.maximum(c_h + t_h, 1), p)
            result[k + 1] = p
        return result

    def bits_per_char(self, text: np.ndarray) -> dict[int, float]:
        """{order: bits per character} on ``text``, scoring positions >= max_order - 1."""
        return {n: float(-np.mean(np.log2(p))) for n, p in self.probabilities(text).items()}

    def next_char_distribution(self, context: np.ndarray, order: int) -> np.ndarray:
        """P(c | the last order - 1 characters of context) for every c: shape (V,)."""
        tail = np.asarray(context, dtype=np.int64)[-(self.max_order - 1):] \
            if self.max_order > 1 else np.zeros(0, dtype=np.int64)
        return np.array([self.probabilities(np.append(tail, c))[order][-1]
                         for c in range(self.v)])


def best_order(scores: dict[int, float]) -> tuple[int, float]:
    order = min(scores, key=scores.__getitem__)
    return order, scores[order]


def nats_to_bits(nats: float) -> float:
    return nats / math.log(2)
