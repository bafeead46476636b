"""The catalogue service: /predict (class, tags, description), /similar (items that look
alike), /search (English or Spanish text), /healthz and /metrics.

Every request is answered with JSON. Bad input is the caller's mistake and gets a 4xx
that names the field and what was expected; a 5xx would page whoever is on call for a
problem they cannot fix. The served model is re-read when its file changes, so a
promotion by the retraining hook reaches every worker without a restart.
"""

from __future__ import annotations

import os
import time
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pydantic import BaseModel

from .backbone import CLASSES
from .describe import TagRules, describe, tags
from .drift import DriftMonitor
from .export import OnnxBackbone
from .index import LANGUAGES, Catalogue

MAX_K = 50
MAX_QUERY = 200
BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
ENDPOINTS = ("/predict", "/similar", "/search", "/healthz", "/metrics")


class ImageBody(BaseModel):
    image: list[Any]  # 28 rows of 28 pixels, or 784 pixels; checked by image_from()
    k: int = 5  # /similar only: how many items


class Metrics:
    """Counters, latencies and drift gauges. Under several uvicorn workers
    (``PROMETHEUS_MULTIPROC_DIR`` set before start), each worker writes its values to
    that folder and /metrics merges them: counters and histograms summed, drift gauges
    from the most recent window of any worker."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("catalogue_requests_total", "Requests by endpoint and status",
                                ["endpoint", "status"], registry=r)
        self.latency = Histogram("catalogue_request_seconds", "Time in the app per request",
                                 ["endpoint"], buckets=BUCKETS, registry=r)
        self.predictions = Counter("catalogue_predictions_total", "Predicted classes",
                                   ["label"], registry=r)
        self.psi = Gauge("catalogue_drift_psi", "PSI of the last window", ["feature"],
                         registry=r, multiprocess_mode="mostrecent")
        self.alerts = Counter("catalogue_drift_alerts_total", "Drifted windows by signal",
                              ["signal"], registry=r)
        self.retrain = Counter("catalogue_retrain_requests_total",
                               "Retraining hook calls", registry=r)
        self.reloads = Counter("catalogue_model_reloads_total", "Model files loaded",
                               registry=r)

    def exposition(self) -> bytes:
        folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if not folder:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=folder)
        return generate_latest(merged)


class ModelFile:
    """The ONNX model at ``path``, loaded again whenever the file is replaced."""

    def __init__(self, path: Path, known_images: np.ndarray | None, metrics: Metrics) -> None:
        self.path, self.known, self.metrics = path, known_images, metrics
        self.stamp: int | None = None
        self.model: OnnxBackbone | None = None
        self.loads = 0  # 1 at start, +1 for each replaced file picked up
        self.current()

    def current(self) -> OnnxBackbone:
        stamp = self.path.stat().st_mtime_ns
        if self.model is None or stamp != self.stamp:
            model = OnnxBackbone(self.path)
            if self.known is not None:
                model.check_preprocessing(self.known)
            self.model, self.stamp = model, stamp
            self.loads += 1
            self.metrics.reloads.inc()
        return self.model


def _bad(message: str) -> HTTPException:
    return HTTPException(422, f"field 'image': {message}")


def image_from(raw: list[Any]) -> np.ndarray:  # (1, 28, 28) uint8
    """Validate a JSON image in plain Python, then hand it to NumPy. Every check comes
    before ``np.asarray``: a ragged list or an integer beyond int64 raises inside NumPy,
    and an exception nobody catches is a 500."""
    if raw and all(isinstance(row, list) for row in raw):
        lengths = [len(row) for row in raw]
        if len(raw) != 28 or any(n != 28 for n in lengths):
            odd = next((i for i, n in enumerate(lengths) if n != 28), None)
            raise _bad(f"expected 28 rows of 28 pixels, got {len(raw)} rows"
                       + (f" (row {odd} has {lengths[odd]} pixels)" if odd is not None
                          else ""))
        flat = [p for row in raw for p in row]
    elif any(isinstance(row, list) for row in raw):
        raise _bad("mixes rows (lists) and single pixels: send 28 rows or 784 pixels")
    else:
        flat = raw
    if len(flat) != 28 * 28:
        raise _bad(f"expected 784 pixels (28x28), got {len(flat)}")
    for i, p in enumerate(flat):
        if type(p) is not int or not 0 <= p <= 255:  # bool is an int subclass: refused
            raise _bad(f"pixel {i} is {repr(p)[:20]}: pixels are integers from 0 to 255")
    return np.asarray(flat, dtype=np.uint8).reshape(1, 28, 28)


def create_app(model_path: str | Path, catalogue: Catalogue, rules: TagRules, *,
               monitor: DriftMonitor | None = None,
               known_images: np.ndarray | None = None) -> FastAPI:
    """The service for the model at ``model_path`` over ``catalogue``."""
    metrics = Metrics()
    model = ModelFile(Path(model_path), known_images, metrics)
    app = FastAPI(title="Bilingual catalogue")
    app.state.metrics, app.state.monitor, app.state.catalogue = metrics, monitor, catalogue
    app.state.model = model
    # The images behind the last few windows: what a retraining job will need labels for.
    keep = monitor.config.window * monitor.config.retrain_after if monitor else 0
    app.state.recent = deque(maxlen=keep)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts: list[str] = []
        for e in exc.errors():
            # Drop "body" and the union's type tags ("list[list[...]]") from the location.
            loc = [str(p) for p in e.get("loc", ()) if p != "body" and "[" not in str(p)]
            text = f"{'.'.join(loc) or 'body'}: {e.get('msg', 'invalid')}"
            if text not in parts:
                parts.append(text)
        return JSONResponse({"detail": "; ".join(parts[:3])}, status_code=422)

    @app.middleware("http")
    async def count(request: Request, call_next: Any) -> Response:
        start = time.perf_counter()
        response = await call_next(request)
        path = request.url.path if request.url.path in ENDPOINTS else "other"
        metrics.latency.labels(path).observe(time.perf_counter() - start)
        metrics.requests.labels(path, str(response.status_code)).inc()
        return response

    def classify(image: np.ndarray) -> tuple[int, float, np.ndarray]:
        labels, confidences, emb = model.current().predict(image)
        metrics.predictions.labels(CLASSES[int(labels[0])]).inc()
        monitor = app.state.monitor  # replaced after a promotion (a new reference)
        if monitor is not None:
            app.state.recent.append(image[0])
            for report in monitor.observe(image, labels):
                for name, value in report["psi"].items():
                    metrics.psi.labels(name).set(value)
                metrics.psi.labels("predictions").set(report["prediction_psi"])
                for signal in report["alerts"]:
                    metrics.alerts.labels(signal).inc()
                if report["retrain"]:
                    metrics.retrain.inc()
        return int(labels[0]), float(confidences[0]), emb[0]

    @app.post("/predict")
    def predict(body: ImageBody) -> dict[str, Any]:
        image = image_from(body.image)
        label, confidence, _ = classify(image)
        tag = tags(image, np.array([label]), rules)[0]
        return {"class": CLASSES[label], "confidence": round(confidence, 4), "tags": tag,
                "description": describe(tag)}

    @app.post("/similar")
    def similar(body: ImageBody) -> dict[str, Any]:
        if not 1 <= body.k <= MAX_K:
            raise HTTPException(422, f"field 'k': ask for 1 to {MAX_K} items, not {body.k}")
        label, confidence, emb = classify(image_from(body.image))
        return {"class": CLASSES[label], "confidence": round(confidence, 4),
                "results": catalogue.similar(emb, min(body.k, len(catalogue)))}

    @app.get("/search")
    def search(q: str = Query(min_length=1, max_length=MAX_QUERY),
               lang: str = Query("en"), k: int = Query(5, ge=1, le=MAX_K)) -> dict[str, Any]:
        if lang not in LANGUAGES:
            raise HTTPException(422, f"field 'lang': 'en' or 'es', not {lang!r}")
        if not q.strip():
            raise HTTPException(422, "field 'q': the query is blank")
        if catalogue.text is None:
            raise HTTPException(503, "text search is off: start the service with Projects 5 "
                                     "and 6 installed")
        return catalogue.search(q.strip(), lang, min(k, len(catalogue)))

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        current = model.current()
        return {"status": "ok", "pid": os.getpid(), "model": str(model.path.name),
                "items": len(catalogue),
                "text_search": catalogue.text is not None,
                "preprocess_version": current.metadata.get("preprocess_version"),
                "windows_checked": app.state.monitor.windows if app.state.monitor else 0}

    @app.get("/metrics")
    def metrics_endpoint() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return app


def build_service(model_path: str | Path, items: np.ndarray, reference_images: np.ndarray,
                  known_images: np.ndarray, *, encoder: Any = None, es_en: Any = None,
                  en_es: Any = None, monitor: bool = True,
                  on_retrain: Any = None) -> FastAPI:
    """Everything the service needs from raw arrays: tag rules fitted on the reference
    images, the catalogue over ``items`` (predicted and embedded by the served model),
    text search when an encoder and both translators are given, and a drift monitor
    whose reference is ``reference_images`` with the model's predictions on them."""
    from .index import TextSide

    served = OnnxBackbone(model_path)
    rules = TagRules.fit(reference_images)
    labels, _, emb = served.predict(items)
    text = TextSide(encoder, es_en, en_es) if None not in (encoder, es_en, en_es) else None
    catalogue = Catalogue(items, labels, emb, rules, text)
    watch = DriftMonitor(reference_images, served.predict(reference_images)[0],
                         on_retrain=on_retrain) if monitor else None
    return create_app(model_path, catalogue, rules, monitor=watch, known_images=known_images)
