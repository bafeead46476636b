"""Drift monitoring: a few per-image features and the predicted classes, compared window
by window against the training reference with PSI and the two-sample KS test.

Why windows: one request says nothing about a distribution; a window of W requests is
compared with the reference, then emptied, so an alert describes recent traffic only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

FEATURES = ("brightness", "contrast", "ink", "edges")
NUM_CLASSES = 10
EPS = 1e-4  # floor for empty bins: PSI takes a logarithm of each bin's share


def image_features(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) -> (N, 4): mean brightness, contrast (std), share of inked
    pixels, mean horizontal edge strength, all on a 0-1 pixel scale."""
    x = np.asarray(images, dtype=np.float64).reshape(-1, 28, 28) / 255.0
    flat = x.reshape(len(x), -1)
    edges = np.abs(np.diff(x, axis=2)).mean(axis=(1, 2))
    return np.stack([flat.mean(1), flat.std(1), (flat > 0.5).mean(1), edges], axis=1)


def psi(reference: np.ndarray, live: np.ndarray, bins: int = 10) -> float:
    """Population stability index of ``live`` against ``reference``.

    Bin edges are the reference's quantiles, fixed once: bins drawn from the live window
    would follow the live data and hide the shift being measured.
    """
    reference = np.asarray(reference, dtype=np.float64)
    live = np.asarray(live, dtype=np.float64)
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
    ref_share = np.bincount(np.searchsorted(edges, reference, side="right"),
                            minlength=len(edges) + 1) / len(reference)
    live_share = np.bincount(np.searchsorted(edges, live, side="right"),
                             minlength=len(edges) + 1) / len(live)
    ref_share, live_share = np.maximum(ref_share, EPS), np.maximum(live_share, EPS)
    return float(np.sum((live_share - ref_share) * np.log(live_share / ref_share)))


def category_psi(reference: np.ndarray, live: np.ndarray, k: int = NUM_CLASSES) -> float:
    """PSI between two histograms of class indices (prediction drift)."""
    ref = np.maximum(np.bincount(np.asarray(reference, dtype=np.int64), minlength=k)
                     / len(reference), EPS)
    cur = np.maximum(np.bincount(np.asarray(live, dtype=np.int64), minlength=k)
                     / len(live), EPS)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _kolmogorov_sf(lam: float) -> float:
    """P(K > lam) for the Kolmogorov distribution (alternating series)."""
    if lam < 0.2:
        return 1.0
    total = sum((-1) ** (k - 1) * math.exp(-2.0 * k * k * lam * lam) for k in range(1, 101))
    return float(min(1.0, max(0.0, 2.0 * total)))


def ks_2samp(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Two-sided two-sample Kolmogorov-Smirnov test: (statistic D, p-value).

    D is the largest gap between the two empirical CDFs, evaluated at every observed
    value of either sample (both sorted; ties handled by ``side="right"``), as
    ``scipy.stats.ks_2samp`` computes it. The p-value is the asymptotic one (Smirnov's
    limit with Stephens' small-sample correction), close to scipy's for samples of
    a hundred and more.
    """
    a = np.sort(np.asarray(a, dtype=np.float64))
    b = np.sort(np.asarray(b, dtype=np.float64))
    both = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, both, side="right") / len(a)
    cdf_b = np.searchsorted(b, both, side="right") / len(b)
    d = float(np.max(np.abs(cdf_a - cdf_b)))
    en = math.sqrt(len(a) * len(b) / (len(a) + len(b)))
    return d, _kolmogorov_sf((en + 0.12 + 0.11 / en) * d)


@dataclass(frozen=True)
class DriftConfig:
    window: int = 200  # requests per window
    psi_threshold: float = 0.25  # a feature alerts when its PSI exceeds this...
    ks_alpha: float = 1e-4  # ...or its KS p-value falls below this
    prediction_psi_threshold: float = 0.25  # predicted-class histogram PSI
    retrain_after: int = 3  # consecutive drifted windows that trigger retraining


class DriftMonitor:
    """Collects requests into windows and compares each full window with the reference.

    ``on_retrain(summary)`` is called once when ``retrain_after`` consecutive windows
    drift (the retraining hook); the count restarts after it fires.
    """

    def __init__(self, reference_images: np.ndarray, reference_predictions: np.ndarray,
                 config: DriftConfig | None = None,
                 on_retrain: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.config = config or DriftConfig()
        self.reference = image_features(reference_images)  # (M, 4)
        self.reference_predictions = np.asarray(reference_predictions, dtype=np.int64)
        self.on_retrain = on_retrain
        self.seen = 0
        self.windows = 0
        self.drifted_in_a_row = 0
        self.last: dict[str, Any] = {}
        self._features: list[np.ndarray] = []
        self._predictions: list[np.ndarray] = []
        self._pending = 0

    def observe(self, images: np.ndarray, predictions: np.ndarray) -> list[dict[str, Any]]:
        """Add a request's images and predicted classes; returns the report of every
        window this call completed (usually none)."""
        feats = image_features(images)
        preds = np.asarray(predictions, dtype=np.int64).reshape(-1)
        reports = []
        start = 0
        while start < len(feats):
            take = min(len(feats) - start, self.config.window - self._pending)
            self._features.append(feats[start : start + take])
            self._predictions.append(preds[start : start + take])
            self._pending += take
            self.seen += take
            start += take
            if self._pending == self.config.window:
                reports.append(self._close_window())
        return reports

    def _close_window(self) -> dict[str, Any]:
        live = np.concatenate(self._features)  # (W, 4)
        preds = np.concatenate(self._predictions)  # (W,)
        self._features, self._predictions, self._pending = [], [], 0  # a fresh window
        c = self.config
        report: dict[str, Any] = {"window": self.windows, "end_request": self.seen,
                                  "psi": {}, "ks_pvalue": {}, "alerts": []}
        for j, name in enumerate(FEATURES):
            value = psi(self.reference[:, j], live[:, j])
            _, p = ks_2samp(self.reference[:, j], live[:, j])
            report["psi"][name], report["ks_pvalue"][name] = value, p
            if value > c.psi_threshold or p < c.ks_alpha:
                report["alerts"].append(name)
        report["prediction_psi"] = category_psi(self.reference_predictions, preds)
        if report["prediction_psi"] > c.prediction_psi_threshold:
            report["alerts"].append("predictions")
        report["drifted"] = bool(report["alerts"])
        self.windows += 1
        self.drifted_in_a_row = self.drifted_in_a_row + 1 if report["drifted"] else 0
        report["retrain"] = self.drifted_in_a_row >= c.retrain_after
        if report["retrain"]:
            self.drifted_in_a_row = 0
            if self.on_retrain is not None:
                self.on_retrain({"window": report["window"], "alerts": report["alerts"],
                                 "end_request": self.seen})
        self.last = report
        return report
