"""The HTTP service (FastAPI): JSON and binary prediction endpoints, /healthz, and
Prometheus /metrics; every request also feeds the drift monitor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fastapi import FastAPI

from .drift import DriftMonitor


def create_app(model_path: str | Path, monitor: DriftMonitor | None = None,
               known_images: np.ndarray | None = None) -> FastAPI:
    """The app serving one exported model.

    - POST /predict, JSON {"input": 28 rows of 28 pixels (0-255)} ->
      {"prediction": class name, "confidence": probability, "latency_ms": number}
    - POST /predict/batch, body N*784 raw uint8 pixels -> N class bytes (uint8) followed
      by N little-endian float32 confidences
    - GET /healthz -> {"status": "ok", ...}
    - GET /metrics -> Prometheus text: a latency Histogram, request Counters, drift Gauges
      (use a CollectorRegistry of your own per app)
    """
    # TODO: OnnxPredictor(model_path); if known_images is given, check_preprocessing;
    # time each prediction; pass images and predicted classes to monitor.observe.
    raise NotImplementedError("create_app")
