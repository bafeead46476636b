"""Latency percentiles and throughput, computed the same way for every runtime."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def latency_summary(latencies_ms: list[float] | np.ndarray) -> dict[str, float]:
    """{"p50", "p95", "p99", "mean"} of per-request latencies in milliseconds."""
    # TODO: percentiles of the *sorted* values (np.percentile does it for you).
    raise NotImplementedError("latency_summary")


def measure(run: Callable[[np.ndarray], object], batch: np.ndarray, repeats: int,
            warmup: int = 5) -> dict[str, float]:
    """Time run(batch) after a warm-up: latency_summary plus "throughput_per_s" in
    images (not calls) per second."""
    raise NotImplementedError("measure")
