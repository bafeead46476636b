"""The reference pipeline behind ``buildreal project demo final`` and benchmarks/final.py:
train and track the backbone, export and check it, build the catalogue, assemble the
service, and replay an incident (a traffic shift, the alert, the retraining, the
promotion) with its timings.

Every step reads and writes one folder (``out``): ``model.onnx`` (what is served),
``model.pt`` (its PyTorch twin, which the retraining hook compares candidates with),
``validation.json`` (the run's parameters and metrics) and ``decisions.jsonl`` (every
retraining decision); MLflow's file store is under the data folder.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from buildreal.projects.data import datasets_dir, load_fashion_mnist
from buildreal.projects.p11_final import adapters, plan
from buildreal.projects.p11_final.reference import catalogue as ref

Log = Callable[[str], None]


def tracking_store() -> Path:
    """MLflow's file store, under the data folder (``$BUILDREAL_DATA_DIR/mlruns``)."""
    return datasets_dir().parent / "mlruns"


@dataclass(frozen=True)
class Built:
    model_path: Path
    run_id: str
    metrics: dict[str, float]
    params: dict[str, str]


def train_and_track(out: Path, *, limit: int = 20000, epochs: int = 2, seed: int = 0,
                    store: Path | None = None, log: Log = print) -> Built:
    """Train the backbone on train[:limit], export it, check ONNX parity, and record the
    run (data version, seed, metrics, artefact hashes) in MLflow."""
    x, y = load_fashion_mnist("train")
    tx, ty = load_fashion_mnist("test")
    store = store or tracking_store()
    start = time.perf_counter()
    run_id, _ = ref.train_tracked(x[:limit], y[:limit], ref.TrainConfig(epochs=epochs,
                                  seed=seed), out, store, tx[plan.KNOWN], evaluate=(tx, ty))
    seconds = time.perf_counter() - start
    run = next(r for r in ref.read_runs(store) if r["run_id"]["id"] == run_id)
    metrics, params = run["metrics"], run["params"]
    (out / "validation.json").write_text(json.dumps({"mlflow_run_id": run_id, **params,
                                                      **metrics}, indent=2))
    log(f"trained on {params['train_images']} images x {epochs} epoch(s), seed {seed}, data "
        f"{params['data_version']} ({seconds:.0f} s with export); test accuracy "
        f"{metrics['test_accuracy']:.4f}")
    log(f"onnx parity on {plan.KNOWN.stop} known images: logits "
        f"{metrics['onnx_logits_max_abs_diff']:.1e}, embeddings "
        f"{metrics['onnx_embedding_max_abs_diff']:.1e} (tolerance {plan.ONNX_TOLERANCE:g}); "
        f"MLflow run {run_id} in {store}")
    return Built(out / "model.onnx", run_id, metrics, params)  # type: ignore[arg-type]


def load_eager(out: Path) -> ref.Backbone:
    """The PyTorch twin of the served model, in evaluation mode."""
    model = ref.build_model()
    model.load_state_dict(torch.load(out / "model.pt", weights_only=True))
    return model.eval()


def load_text_side(models_dir: Path | None = None, preset: str = "small",
                   log: Log = print) -> ref.TextSide | None:
    """Project 6's encoder and Project 5's translators, or None (search answers 503)."""
    try:
        side = ref.TextSide(adapters.load_text_encoder(models_dir, preset=preset),
                            adapters.load_translator("es-en", models_dir, preset=preset),
                            adapters.load_translator("en-es", models_dir, preset=preset))
    except adapters.MissingProject as exc:
        log(f"text search off: {exc}")
        return None
    return side


def reference_monitor(model: ref.OnnxBackbone | ref.Backbone, images: np.ndarray,
                      on_retrain: Callable[[dict[str, Any]], None] | None = None
                      ) -> ref.DriftMonitor:
    """A monitor whose reference is ``images`` and the model's own predictions on them."""
    if isinstance(model, ref.OnnxBackbone):
        labels = model.predict(images)[0]
    else:
        labels = ref.embed(model, images)[0].argmax(1)
    return ref.DriftMonitor(images, labels, on_retrain=on_retrain)


def build_app(out: Path, text: ref.TextSide | None = None, *, monitor: bool = True,
              on_retrain: Callable[[dict[str, Any]], None] | None = None) -> Any:
    """The service over the catalogue items test[8000:], for the model in ``out``."""
    x, _ = load_fashion_mnist("train")
    tx, _ = load_fashion_mnist("test")
    return ref.build_service(out / "model.onnx", tx[plan.CATALOGUE], x[-plan.REFERENCE_N:],
                             tx[plan.KNOWN], encoder=text and text.encoder,
                             es_en=text and text.es_en, en_es=text and text.en_es,
                             monitor=monitor, on_retrain=on_retrain)


def promote(candidate: torch.nn.Module, out: Path) -> None:
    """Replace the served model atomically: export beside it, then rename over it (every
    worker re-reads the file when its modification time changes)."""
    tx, _ = load_fashion_mnist("test")
    tmp = out / "model.onnx.new"
    ref.export_onnx(candidate, tmp, tx[plan.KNOWN])
    torch.save(candidate.state_dict(), out / "model.pt.new")
    os.replace(out / "model.pt.new", out / "model.pt")
    os.replace(tmp, out / "model.onnx")


class QueueHook:
    """The served retraining hook: when the monitor asks, write ``retrain-<pid>-<n>.json``
    (the drift summary) and ``.npy`` beside it (the images of the drifted windows, from the
    app's recent buffer) into ``queue``. ``run_job`` finishes the work once the images
    have labels; training never runs inside a request."""

    def __init__(self, queue: Path) -> None:
        self.queue = queue
        self.app: Any = None
        self.jobs: list[Path] = []

    def __call__(self, summary: dict[str, Any]) -> None:
        self.queue.mkdir(parents=True, exist_ok=True)
        # The worker's pid in the name: several workers share one queue folder.
        job = self.queue / f"retrain-{os.getpid()}-{len(self.jobs) + 1}.json"
        images = np.stack(list(self.app.state.recent)) if self.app is not None \
            else np.zeros((0, 28, 28), np.uint8)  # (R, 28, 28)
        np.save(job.with_suffix(".npy"), images)
        job.write_text(json.dumps({"requested_at": time.time(), "images": len(images),
                                   **summary}, indent=2))
        self.jobs.append(job)


def serve_app(out: Path, text: ref.TextSide | None = None) -> Any:
    """The app as served: monitor, and the queueing retraining hook."""
    hook = QueueHook(out / "retrain-queue")
    app = build_app(out, text, on_retrain=hook)
    hook.app = app
    return app


def run_job(out: Path, job: Path, labels: np.ndarray, *, epochs: int = 2,
            store: Path | None = None) -> ref.Decision:
    """Retrain from a queued job: its images with ``labels`` (one per image, in order)
    plus the reference data; judged on the fixed holdout; promoted if better; the
    decision logged in ``decisions.jsonl`` and the candidate's run in MLflow."""
    images = np.load(job.with_suffix(".npy"))  # (R, 28, 28)
    labels = np.asarray(labels, dtype=np.int64)
    if labels.shape != (len(images),):
        raise ValueError(f"{job.name} holds {len(images)} images; got {labels.shape[0]} "
                         "labels")
    x, y = load_fashion_mnist("train")
    tx, ty = load_fashion_mnist("test")
    hx, hy = plan.holdout(tx, ty)
    decision, candidate = ref.retrain(
        load_eager(out), images, labels, x[-plan.REFERENCE_N:], y[-plan.REFERENCE_N:],
        hx, hy, log_path=out / "decisions.jsonl", config=ref.TrainConfig(epochs=epochs))
    if decision.promote:
        promote(candidate, out)
    ref.log_run(store or tracking_store(), run_name="candidate", params={
        "seed": 0, "data_version": ref.data_version(images, labels, x[-plan.REFERENCE_N:]),
        "promoted": decision.promote, "train_images": decision.train_size, "job": job.name},
        metrics={"holdout_accuracy": decision.candidate_accuracy,
                 "serving_holdout_accuracy": decision.serving_accuracy},
        artefacts={"model.onnx": out / "model.onnx"})
    return decision


def replay_incident(out: Path, *, normal: int = 1000, max_shifted: int = 3000,
                    epochs: int = 2, store: Path | None = None,
                    log: Log = print) -> dict[str, Any]:
    """Send normal traffic, then studio-shifted traffic, one image per /predict request,
    through the app as served. When the hook queues a job, label its images (the test
    set's labels stand in for the labelling step), run the job, and keep sending.
    Returns the timings and the served model's accuracy on shifted requests before and
    after the decision."""
    from fastapi.testclient import TestClient

    x, _ = load_fashion_mnist("train")
    tx, ty = load_fashion_mnist("test")
    app = serve_app(out)
    hook: QueueHook = app.state.monitor.on_retrain
    client = TestClient(app)
    rng = np.random.default_rng(0)
    traffic = np.arange(plan.TRAFFIC.start, plan.TRAFFIC.stop)
    clean, shifted = rng.permutation(traffic)[:normal], rng.permutation(traffic)[:max_shifted]
    sent_labels: list[int] = []

    def send(images: np.ndarray, labels: np.ndarray) -> list[str]:
        sent_labels.extend(int(v) for v in labels)
        return [client.post("/predict", json={"image": im.tolist()}).json()["class"]
                for im in images]

    send(tx[clean], ty[clean])
    windows_before = app.state.monitor.windows
    shift_x, shift_y = plan.studio_shift(tx[shifted]), ty[shifted]
    start = time.perf_counter()
    first_alert: float | None = None
    alert_requests = sent = 0
    answers: list[str] = []
    while sent < len(shift_x) and not hook.jobs:
        windows = app.state.monitor.windows
        answers += send(shift_x[sent : sent + 50], shift_y[sent : sent + 50])
        sent += len(shift_x[sent : sent + 50])
        if first_alert is None and app.state.monitor.windows > windows \
                and app.state.monitor.last.get("drifted"):
            first_alert, alert_requests = time.perf_counter(), sent
    result: dict[str, Any] = {"normal_requests": normal, "windows_before_shift": windows_before,
                              "shifted_sent": sent}
    if not hook.jobs or first_alert is None:
        log(f"no retraining request after {sent} shifted requests")
        return result
    queued = time.perf_counter()
    job = hook.jobs[0]
    n = len(np.load(job.with_suffix(".npy")))
    decision = run_job(out, job, np.array(sent_labels[-n:]), epochs=epochs, store=store)
    if decision.promote:  # the new model's own data becomes the monitor's reference
        app.state.monitor = reference_monitor(load_eager(out), np.concatenate(
            [x[-plan.REFERENCE_N:], np.load(job.with_suffix(".npy"))]), hook)
    decided = time.perf_counter()
    before = float(np.mean([ref.CLASSES.index(a) == t for a, t in
                            zip(answers, shift_y[:sent], strict=True)]))
    after_x, after_y = shift_x[sent : sent + 500], shift_y[sent : sent + 500]
    after = float(np.mean([ref.CLASSES.index(a) == t for a, t in
                           zip(send(after_x, after_y), after_y, strict=True)]))
    result.update({
        "requests_to_alert": alert_requests, "job_images": n,
        "shift_to_alert_s": first_alert - start, "shift_to_hook_s": queued - start,
        "alert_to_promotion_s": decided - first_alert, "decision": asdict(decision),
        "accuracy_on_shift_before": before, "accuracy_on_shift_after": after,
        "model_loads": app.state.model.loads})
    log(f"shift started: first drifted window within {alert_requests} requests "
        f"({first_alert - start:.1f} s); retraining job queued after {sent} requests "
        f"({queued - start:.1f} s) with {n} images")
    log(f"retraining: {decision.reason}; alert to decision {decided - first_alert:.1f} s")
    log(f"accuracy on shifted traffic: {before:.3f} before, {after:.3f} after")
    return result
