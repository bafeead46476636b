"""The HTTP service: JSON and binary prediction endpoints, health, Prometheus metrics,
and the drift monitor fed by every request."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from fastapi import FastAPI, HTTPException, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pydantic import BaseModel

from .drift import FEATURES, DriftMonitor
from .export import OnnxPredictor
from .model import CLASSES
from .preprocess import PREPROCESS_VERSION

PIXELS = 28 * 28
MAX_BATCH = 1024
# Buckets from 0.25 ms: batch-1 requests take about a millisecond on a CPU.
BUCKETS = (0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class PredictRequest(BaseModel):
    input: list[list[int]] | list[int]  # one 28x28 image (rows) or 784 pixels, 0-255


class Metrics:
    """One registry per app, so that two apps in one process do not share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram("inference_latency_seconds", "Model latency per request",
                                 ["endpoint"], buckets=BUCKETS, registry=self.registry)
        self.requests = Counter("inference_requests_total", "Requests served",
                                ["endpoint", "status"], registry=self.registry)
        self.images = Counter("inference_images_total", "Images classified",
                              registry=self.registry)
        self.psi = Gauge("drift_psi", "PSI of the last window", ["feature"],
                         registry=self.registry)
        self.ks = Gauge("drift_ks_pvalue", "KS p-value of the last window", ["feature"],
                        registry=self.registry)
        self.alerts = Counter("drift_alerts_total", "Drifted windows", ["signal"],
                              registry=self.registry)
        self.retrain = Counter("retrain_triggered_total", "Retraining hook calls",
                               registry=self.registry)


def _as_images(pixels: np.ndarray) -> np.ndarray:
    if pixels.size % PIXELS or not 0 < pixels.size // PIXELS <= MAX_BATCH:
        raise HTTPException(422, f"expected N*784 pixels (1 <= N <= {MAX_BATCH}), got "
                                 f"{pixels.size}")
    return pixels.reshape(-1, 28, 28)


def create_app(model_path: str | Path, monitor: DriftMonitor | None = None,
               known_images: np.ndarray | None = None,
               predictor: OnnxPredictor | None = None) -> FastAPI:
    """The service for one exported model; ``known_images`` (the export's samples)
    make startup refuse a model exported with other preprocessing. ``predictor``
    replaces the ONNX Runtime one with any object of the same interface (the benchmark
    serves PyTorch eager this way, for a like-for-like comparison)."""
    predictor = predictor or OnnxPredictor(model_path)
    if known_images is not None:
        predictor.check_preprocessing(known_images)
    metrics = Metrics()
    app = FastAPI(title="Fashion-MNIST inference")
    app.state.predictor, app.state.monitor, app.state.metrics = predictor, monitor, metrics

    def classify(images: np.ndarray, endpoint: str) -> tuple[np.ndarray, np.ndarray, float]:
        start = time.perf_counter()
        labels, confidences = predictor.predict(images)
        seconds = time.perf_counter() - start
        metrics.latency.labels(endpoint).observe(seconds)
        metrics.requests.labels(endpoint, "ok").inc()
        metrics.images.inc(len(images))
        if monitor is not None:
            for report in monitor.observe(images, labels):
                for name in FEATURES:
                    metrics.psi.labels(name).set(report["psi"][name])
                    metrics.ks.labels(name).set(report["ks_pvalue"][name])
                metrics.psi.labels("predictions").set(report["prediction_psi"])
                for signal in report["alerts"]:
                    metrics.alerts.labels(signal).inc()
                if report["retrain"]:
                    metrics.retrain.inc()
        return labels, confidences, seconds * 1000.0

    @app.post("/predict")
    def predict(body: PredictRequest) -> dict[str, object]:
        pixels = np.asarray(body.input, dtype=np.int64)
        if pixels.min(initial=0) < 0 or pixels.max(initial=0) > 255:
            raise HTTPException(422, "pixels must be integers from 0 to 255")
        labels, confidences, ms = classify(_as_images(pixels.astype(np.uint8)), "predict")
        return {"prediction": CLASSES[int(labels[0])], "confidence": float(confidences[0]),
                "latency_ms": round(ms, 3)}

    @app.post("/predict/batch")
    async def predict_batch(request: Request) -> Response:
        """Body: N*784 raw uint8 pixels. Answer: N class indices (uint8) then N float32
        confidences, little-endian; the model latency is in the X-Latency-Ms header."""
        images = _as_images(np.frombuffer(await request.body(), dtype=np.uint8))
        labels, confidences, ms = classify(images, "batch")
        body = labels.astype(np.uint8).tobytes() + confidences.astype("<f4").tobytes()
        return Response(body, media_type="application/octet-stream",
                        headers={"X-Latency-Ms": f"{ms:.3f}"})

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "preprocess_version": PREPROCESS_VERSION,
                "model_preprocess_version": predictor.metadata.get("preprocess_version"),
                "windows_checked": monitor.windows if monitor else 0}

    @app.get("/metrics")
    def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
