"""Latency percentiles and throughput, computed the same way for every runtime."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def latency_summary(latencies_ms: list[float] | np.ndarray) -> dict[str, float]:
    """p50/p95/p99 and mean of per-request latencies (ms), by linear interpolation
    between the sorted values (numpy's default percentile)."""
    values = np.sort(np.asarray(latencies_ms, dtype=np.float64))
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"p50": float(p50), "p95": float(p95), "p99": float(p99),
            "mean": float(values.mean())}


def measure(run: Callable[[np.ndarray], object], batch: np.ndarray, repeats: int,
            warmup: int = 5) -> dict[str, float]:
    """Time ``run(batch)`` ``repeats`` times after a warm-up; throughput is in images
    per second (batch size over mean latency), not in calls."""
    for _ in range(warmup):
        run(batch)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(batch)
        times.append((time.perf_counter() - start) * 1000.0)
    summary = latency_summary(times)
    summary["throughput_per_s"] = len(batch) / (summary["mean"] / 1000.0)
    return summary
