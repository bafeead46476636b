"""Experiment tracking in MLflow's local file store: every training run records the
version of the data it saw, its seed, its metrics and the SHA-256 of each artefact.

Why hashes and a data version: "the same seed gives the same metrics" is only a useful
promise when you can show that the data and the files were the same too. Two runs
whose ``data_version`` and ``seed`` agree must agree on the metrics; if they do not,
some random draw escaped the seed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .backbone import TrainConfig, accuracy, train_model
from .export import export_onnx, parity

EXPERIMENT = "final-catalogue"


def data_version(*arrays: np.ndarray) -> str:
    """The first 16 hex digits of a SHA-256 over the arrays' shapes, dtypes and bytes."""
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.shape}{a.dtype}".encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def log_run(store: str | Path, *, params: dict[str, object], metrics: dict[str, float],
            artefacts: dict[str, str | Path], run_name: str = "train") -> str:
    """Record one run in the file store at ``store``; returns the MLflow run id.

    Artefacts are recorded by hash (tag ``sha256.<name>``), not copied: the model files
    stay where the service reads them, and the tag proves which bytes a run produced.
    """
    # MLflow 3 keeps the file store only on request; a database backend would need
    # SQLAlchemy, which this course does not install.
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=Path(store).resolve().as_uri())
    found = client.get_experiment_by_name(EXPERIMENT)
    exp_id = found.experiment_id if found else client.create_experiment(EXPERIMENT)
    run = client.create_run(exp_id, run_name=run_name)
    rid = run.info.run_id
    for key, value in params.items():
        client.log_param(rid, key, value)
    for key, value in metrics.items():
        client.log_metric(rid, key, float(value))
    for name, path in artefacts.items():
        client.set_tag(rid, f"sha256.{name}", file_sha256(path))
    client.set_terminated(rid)
    return rid


def read_runs(store: str | Path) -> list[dict[str, dict[str, str | float]]]:
    """Every run in the store, oldest first, as plain dicts (params, metrics, tags)."""
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=Path(store).resolve().as_uri())
    found = client.get_experiment_by_name(EXPERIMENT)
    if found is None:
        return []
    runs = client.search_runs([found.experiment_id], order_by=["attributes.start_time ASC"])
    return [{"params": dict(r.data.params), "metrics": dict(r.data.metrics),
             "tags": {k: v for k, v in r.data.tags.items() if not k.startswith("mlflow.")},
             "run_id": {"id": r.info.run_id}} for r in runs]


def train_tracked(images: np.ndarray, labels: np.ndarray, config: TrainConfig, out: str | Path,
                  store: str | Path, known_images: np.ndarray,
                  evaluate: tuple[np.ndarray, np.ndarray] | None = None
                  ) -> tuple[str, nn.Module]:
    """Train, save ``model.pt``, export ``model.onnx`` into ``out``, and record the run:
    params seed and data_version, metrics (training accuracy, ONNX parity, and test
    accuracy on ``evaluate`` when given), and the artefacts' hashes. Returns the MLflow
    run id and the model (evaluation mode)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = train_model(images, labels, config)
    torch.save(model.state_dict(), out / "model.pt")
    export_onnx(model, out / "model.onnx", known_images)
    check = parity(model, out / "model.onnx", known_images)
    params = {"seed": config.seed, "data_version": data_version(images, labels),
              "train_images": len(images), "epochs": config.epochs}
    metrics = {"train_accuracy": accuracy(model, images, labels),
               "onnx_logits_max_abs_diff": check["logits_max_abs_diff"],
               "onnx_embedding_max_abs_diff": check["embedding_max_abs_diff"]}
    if evaluate is not None:
        metrics["test_accuracy"] = accuracy(model, *evaluate)
    for key in ("batch_size", "lr", "width"):
        params[key] = getattr(config, key, None)
    run_id = log_run(store, params=params, metrics=metrics,
                     artefacts={"model.onnx": out / "model.onnx", "model.pt": out / "model.pt"})
    return run_id, model
