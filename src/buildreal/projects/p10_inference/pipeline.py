"""The reference pipeline behind ``run_inference_service`` and benchmarks/inference.py:
train and export once, validate the export, simulate drift, time both runtimes."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from buildreal.projects.data import load_fashion_mnist
from buildreal.projects.p10_inference import plan
from buildreal.projects.p10_inference.reference import serving as ref

BATCH_SIZES = (1, 4, 16, 64, 256)


@dataclass
class Artifacts:
    model_path: Path
    model: torch.nn.Module
    known: np.ndarray  # (64, 28, 28) uint8: the known samples
    validation: dict[str, Any]


def train_and_export(out: Path, *, limit: int = 20000, epochs: int = 2, seed: int = 0,
                     log: Any = print) -> Artifacts:
    """Train the reference CNN on the first ``limit`` training images, export it, and
    validate ONNX Runtime against PyTorch on the known samples."""
    out.mkdir(parents=True, exist_ok=True)
    x, y = load_fashion_mnist("train")
    tx, ty = load_fashion_mnist("test")
    known = tx[: plan.KNOWN_N]
    start = time.perf_counter()
    model = ref.train_model(x[:limit], y[:limit], epochs=epochs, seed=seed)
    log(f"trained on {min(limit, len(x))} images for {epochs} epoch(s) in "
        f"{time.perf_counter() - start:.0f} s")
    path = out / "model.onnx"
    torch.save(model.state_dict(), out / "model.pt")  # the eager twin, for benchmarks
    meta = ref.export_onnx(model, path, known)
    validation = validate(model, path, known)
    predictor = ref.OnnxPredictor(path)
    labels, _ = predictor.predict(tx)
    validation["test_accuracy"] = float((labels == ty).mean())
    validation.update(meta)
    (out / "validation.json").write_text(json.dumps(validation, indent=2))
    log(f"onnx check: max |onnxruntime - torch| = {validation['max_abs_diff']:.2e} on "
        f"{plan.KNOWN_N} known samples (tolerance {plan.ONNX_TOLERANCE:g}); same class on "
        f"{validation['same_class']}/{plan.KNOWN_N}")
    log(f"checksum: preprocess {meta['preprocess_version']} "
        f"sha256 {meta['preprocess_sha256'][:16]}...; test accuracy "
        f"{validation['test_accuracy']:.3f}")
    return Artifacts(path, model, known, validation)


def load_eager(out: Path) -> torch.nn.Module:
    """The PyTorch model saved next to the ONNX file, in evaluation mode."""
    model = ref.build_model()
    model.load_state_dict(torch.load(out / "model.pt", weights_only=True))
    return model.eval()


class TorchPredictor:
    """PyTorch eager behind the OnnxPredictor interface, for benchmarks."""

    def __init__(self, model: torch.nn.Module, metadata: dict[str, str]) -> None:
        self.model = model.eval()
        self.metadata = metadata

    def check_preprocessing(self, known_images: np.ndarray) -> None:
        """Nothing to check: the model and the code come from the same run."""

    def logits(self, x: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return self.model(torch.from_numpy(x)).numpy()  # (N, 10)

    def predict(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        probs = ref.export.softmax(self.logits(ref.preprocess(images)))  # (N, 10)
        labels = probs.argmax(axis=1)
        return labels, probs[np.arange(len(probs)), labels]


def validate(model: torch.nn.Module, path: Path, known: np.ndarray) -> dict[str, Any]:
    """ONNX Runtime vs PyTorch (evaluation mode) on the preprocessed known samples."""
    x = ref.preprocess(known)  # (64, 1, 28, 28)
    model.eval()
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    got = ref.OnnxPredictor(path).logits(x)
    return {"max_abs_diff": float(np.abs(got - expected).max()),
            "same_class": int((got.argmax(1) == expected.argmax(1)).sum()),
            "tolerance": plan.ONNX_TOLERANCE}


def simulate_drift(model_path: Path, *, seed: int = 0, windows: int = 500,
                   log: Any = print) -> dict[str, Any]:
    """Run the monitor on the model's own predictions: many unshifted windows (false
    alarms), then each shift after 1,100 normal requests (requests to first alert)."""
    x, _ = load_fashion_mnist("train")
    tx, ty = load_fashion_mnist("test")
    predictor = ref.OnnxPredictor(model_path)
    reference = x[-plan.REFERENCE_N:]
    ref_pred, _ = predictor.predict(reference)
    test_pred, _ = predictor.predict(tx)
    rng = np.random.default_rng(seed)
    monitor = ref.DriftMonitor(reference, ref_pred)
    w = monitor.config.window
    idx = rng.integers(0, len(tx), windows * w)
    alarms = sum(r["drifted"] for i in range(0, len(idx), plan.BATCH)
                 for r in monitor.observe(tx[idx[i:i + plan.BATCH]],
                                          test_pred[idx[i:i + plan.BATCH]]))
    result: dict[str, Any] = {"window": w, "unshifted_windows": windows,
                              "false_alarms": int(alarms)}
    log(f"drift: {alarms} false alarm(s) in {windows} unshifted windows of {w} requests")
    for name in ("brightness", "noise", "class_mix"):
        jobs: list[dict[str, Any]] = []
        monitor = ref.DriftMonitor(reference, ref_pred, on_retrain=jobs.append)
        clean = rng.integers(0, len(tx), plan.CLEAN_BEFORE_SHIFT)
        pool = np.nonzero(np.isin(ty, plan.CLASS_MIX))[0] if name == "class_mix" \
            else np.arange(len(tx))
        shifted = tx[rng.choice(pool, plan.SHIFT_REQUESTS)]
        if name == "brightness":
            shifted = plan.brighten(shifted)
        elif name == "noise":
            shifted = plan.add_noise(shifted, rng)
        images = np.concatenate([tx[clean], shifted])
        preds, _ = predictor.predict(images)  # the model's own predictions
        first, signals = None, []
        for i in range(0, len(images), plan.BATCH):
            for r in monitor.observe(images[i:i + plan.BATCH], preds[i:i + plan.BATCH]):
                if r["drifted"] and first is None and r["end_request"] > len(clean):
                    first, signals = r["end_request"] - len(clean), r["alerts"]
        result[name] = {"requests_to_alert": first, "signals": signals,
                        "retrain_calls": len(jobs)}
        log(f"drift: {name} shift at request {len(clean)} -> first alert after {first} "
            f"requests ({', '.join(signals)}); retraining hook called {len(jobs)} time(s)")
    return result


def time_runtimes(model: torch.nn.Module, model_path: Path, *, repeats: int = 200,
                  batch_sizes: tuple[int, ...] = BATCH_SIZES) -> list[dict[str, Any]]:
    """In-process latency of ONNX Runtime and PyTorch eager (one thread each) per batch
    size, on preprocessed test images."""
    tx, _ = load_fashion_mnist("test")
    predictor = ref.OnnxPredictor(model_path, threads=1)
    model.eval()
    rows = []
    for b in batch_sizes:
        x = ref.preprocess(tx[:b])
        xt = torch.from_numpy(x)
        n = max(20, repeats // max(1, b // 16))

        def eager(_: np.ndarray, xt: torch.Tensor = xt) -> object:
            with torch.inference_mode():
                return model(xt)

        for runtime, fn in (("onnxruntime", predictor.logits), ("torch-eager", eager)):
            s = ref.measure(fn, x, n)
            rows.append({"runtime": runtime, "batch_size": b, "p50_ms": s["p50"],
                         "p95_ms": s["p95"], "p99_ms": s["p99"],
                         "throughput_per_s": s["throughput_per_s"], "requests": n})
    return rows
