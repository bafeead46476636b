"""The final project's probes: run in the sandbox, they train, track, export, serve,
monitor and retrain with the learner's ``catalogue`` package and return what came back
as plain data. Verdicts are in ``judges``.

Text search is probed with two stand-ins written here, a word-for-word translator over
the descriptions' vocabulary and a bag-of-words encoder, so that the check needs no
trained Project 5 or 6 model and can tell exactly what each call should have returned.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch

from buildreal.projects.p11_final import plan
from buildreal.projects.probe_child import ProbeContext
from buildreal.projects.sandbox import Failed

# English word -> Spanish word, for the words descriptions are made of.
WORDS = {"a": "un", "dark": "oscuro", "mid-tone": "medio", "light": "claro",
         "slim": "estrecho", "medium": "mediano", "wide": "ancho", "plain": "liso",
         "textured": "texturado", "patterned": "estampado", "t-shirt": "camiseta",
         "trousers": "pantalones", "pullover": "jersey", "dress": "vestido",
         "coat": "abrigo", "sandal": "sandalia", "shirt": "camisa", "sneaker": "zapatilla",
         "bag": "bolso", "ankle": "botín", "boot": "bota"}
BACK = {es: en for en, es in WORDS.items()}


class WordTranslator:
    """Word-for-word stand-in for Project 5's ``Translator``; records its calls."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table, self.calls = table, []  # type: ignore[var-annotated]

    def translate(self, texts: list[str], beam: int = 1) -> list[str]:
        self.calls.append(list(texts))
        return [" ".join(self.table.get(w.strip(","), w.strip(",")) for w in t.lower().split())
                for t in texts]


class BagOfWords:
    """Stand-in for Project 6's ``TextEncoder``: hashed word counts, L2-normalised."""

    dim = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().replace(",", " ").split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _config(ctx: ProbeContext, **kw: Any) -> Any:
    cls = ctx.require("TrainConfig")
    return cls(**kw)


def _scramble(seed: int) -> None:
    """A different global random state: only the configured seed may matter."""
    torch.manual_seed(seed)
    np.random.seed(seed)


def _outputs(model: torch.nn.Module, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    model.eval()
    with torch.no_grad():
        out = model(torch.from_numpy(x))
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise Failed("the backbone's forward must return (logits, embedding), got "
                     f"{type(out).__name__}")
    return out[0].numpy(), out[1].numpy()


def _bn_batch_stats(model: torch.nn.Module, x: np.ndarray) -> np.ndarray:
    """What a graph exported in training mode computes: batch norm with the batch's own
    statistics, dropout off (ONNX Runtime drops it at inference)."""
    clone = copy.deepcopy(model).eval()
    for m in clone.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.train()
    with torch.no_grad():
        return clone(torch.from_numpy(x))[0].numpy()


def train(ctx: ProbeContext) -> dict[str, Any]:
    """Two tracked trainings with seed 0 after different global random states; the
    MLflow runs they recorded, the artefacts' real hashes, and their outputs."""
    train_tracked = ctx.require("train_tracked")
    import os

    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    from mlflow.tracking import MlflowClient

    i = ctx.inputs
    store = ctx.scratch / "mlruns"
    runs, outputs, hashes = [], [], []
    x_eval = np.array(i["eval_x_pre"], dtype=np.float32)
    for name, scramble in (("a", 101), ("b", 202)):
        _scramble(scramble)
        out = ctx.scratch / name
        run_id, model = train_tracked(np.array(i["train_x"]), np.array(i["train_y"]),
                                      _config(ctx, epochs=2, seed=0, batch_size=64), out,
                                      store, np.array(i["known_x"]))
        outputs.append(_outputs(model, x_eval))
        hashes.append({f.name: hashlib.sha256(f.read_bytes()).hexdigest()
                       for f in sorted(out.iterdir()) if f.is_file()})
        r = MlflowClient(tracking_uri=store.resolve().as_uri()).get_run(str(run_id))
        runs.append({"params": dict(r.data.params), "metrics": dict(r.data.metrics),
                     "tags": {k: v for k, v in r.data.tags.items()
                              if not k.startswith("mlflow.")}})
    return {"runs": runs, "files": hashes, "logits_a": outputs[0][0],
            "logits_b": outputs[1][0], "embedding_a": outputs[0][1]}


def export(ctx: ProbeContext) -> dict[str, Any]:
    """Export a freshly trained backbone left in training mode (as a loop leaves it) and
    run the file twice in ONNX Runtime next to PyTorch in evaluation mode."""
    train_model, export_onnx = ctx.require("train_model", "export_onnx")
    import onnxruntime as ort

    i = ctx.inputs
    _scramble(7)
    model = train_model(np.array(i["train_x"][:256]), np.array(i["train_y"][:256]),
                        _config(ctx, epochs=1, seed=0, batch_size=64))
    model.train()
    path = ctx.scratch / "backbone.onnx"
    export_onnx(model, path, np.array(i["known_x"]))
    x = np.array(i["known_pre"], dtype=np.float32)  # (64, 1, 28, 28)
    logits, emb = _outputs(model, x)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    feed = {session.get_inputs()[0].name: x}
    first, second = session.run(None, feed), session.run(None, feed)
    return {"torch_logits": logits, "torch_embedding": emb, "outputs": names,
            "ort_a": [np.asarray(o) for o in first], "ort_b": [np.asarray(o) for o in second],
            "torch_bn_batch": _bn_batch_stats(model, x)}


def _call(client: Any, method: str, url: str, **kw: Any) -> dict[str, Any]:
    r = client.request(method, url, **kw)
    try:
        body: Any = r.json()
    except ValueError:
        body = r.text[:300]
    return {"status": r.status_code, "body": body}


def service(ctx: ProbeContext) -> dict[str, Any]:
    """Serve a small catalogue with the stand-ins for Projects 5 and 6; send good and bad
    requests; read /metrics at the end."""
    train_model, export_onnx, build_service = ctx.require("train_model", "export_onnx",
                                                          "build_service")
    from fastapi.testclient import TestClient

    i = ctx.inputs
    model = train_model(np.array(i["train_x"]), np.array(i["train_y"]),
                        _config(ctx, epochs=1, seed=0, batch_size=64))
    path = ctx.scratch / "served.onnx"
    export_onnx(model, path, np.array(i["known_x"]))
    items = np.array(i["items_x"])
    es_en, en_es = WordTranslator(BACK), WordTranslator(WORDS)
    app = build_service(path, items, np.array(i["ref_x"][:1000]), np.array(i["known_x"]),
                        encoder=BagOfWords(), es_en=es_en, en_es=en_es)
    client = TestClient(app, raise_server_exceptions=False)
    img = items[7].tolist()
    good = {
        "predict": _call(client, "POST", "/predict", json={"image": img}),
        "predict_flat": _call(client, "POST", "/predict", json={"image": sum(img, [])}),
        "similar": _call(client, "POST", "/similar", json={"image": img, "k": 5}),
        "similar_k3": _call(client, "POST", "/similar", json={"image": img, "k": 3}),
        "search_en": _call(client, "GET", "/search", params={"q": "trousers", "k": 3}),
        "search_es": _call(client, "GET", "/search",
                           params={"q": "pantalones", "lang": "es", "k": 3}),
    }
    row = [0] * 28
    bad_bodies = {
        "783 pixels": {"image": [0] * 783},
        "27 rows": {"image": [row] * 27},
        "a row of 29 pixels": {"image": [row] * 27 + [[0] * 29]},
        "a pixel of 300": {"image": [[300] * 28] + [row] * 27},
        "a negative pixel": {"image": [[-1] * 28] + [row] * 27},
        "a pixel of 10^30": {"image": [10**30] + [0] * 783},
        "pixels as text": {"image": "not an image"},
        "no image field": {"picture": img},
        "an empty image": {"image": []},
        "k = 0": {"image": img, "k": 0},
        "k = 100000": {"image": img, "k": 100000},
    }
    bad: dict[str, dict[str, Any]] = {}
    for what, body in bad_bodies.items():
        endpoint = "/similar" if what.startswith("k =") else "/predict"
        bad[f"POST {endpoint} with {what}"] = _call(client, "POST", endpoint, json=body)
    bad["POST /predict with a body that is not JSON"] = _call(
        client, "POST", "/predict", content=b"{not json",
        headers={"content-type": "application/json"})
    for what, params in {"an empty query": {"q": ""}, "no query": {},
                         "language fr": {"q": "coat", "lang": "fr"},
                         "k = -1": {"q": "coat", "k": -1},
                         "a 5,000-character query": {"q": "coat " * 1000}}.items():
        bad[f"GET /search with {what}"] = _call(client, "GET", "/search", params=params)
    health = _call(client, "GET", "/healthz")
    metrics = client.get("/metrics")
    return {"good": good, "bad": bad, "health": health, "metrics_status": metrics.status_code,
            "metrics": metrics.text[:200_000], "es_en_calls": es_en.calls,
            "en_es_calls": en_es.calls, "items": len(items),
            "predict_requests": 2 + sum(k.startswith("POST /predict") for k in bad)}


def _stream(monitor: Any, images: np.ndarray, labels: np.ndarray, sent: list[int],
            batch: int = 10) -> list[dict[str, Any]]:
    reports = []
    for s in range(0, len(images), batch):
        sent[0] += len(images[s : s + batch])
        for r in monitor.observe(images[s : s + batch], labels[s : s + batch]) or []:
            reports.append({"end_request": int(r["end_request"]),
                            "drifted": bool(r["drifted"]),
                            "alerts": [str(a) for a in r.get("alerts", [])]})
    return reports


def drift(ctx: ProbeContext) -> dict[str, Any]:
    """Held-out normal traffic (false alarms), then the studio shift after normal
    traffic (requests until the first alert and the hook call)."""
    monitor_cls = ctx.require("DriftMonitor")
    i = ctx.inputs
    sx, sy = np.array(i["stream_x"]), np.array(i["stream_y"])
    calls: list[int] = []
    sent = [0]
    monitor = monitor_cls(np.array(i["ref_x"]), np.array(i["ref_y"]),
                          on_retrain=lambda *_a, **_k: calls.append(sent[0]))
    config = getattr(monitor, "config", None)
    window = int(getattr(config, "window", 0) or 0)
    if not 0 < window <= plan.DETECT_WITHIN:
        raise Failed(f"DriftMonitor.config.window is {window!r}: give a window of 1 to "
                     f"{plan.DETECT_WITHIN} requests")
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(sx), plan.CHECK_WINDOWS * window)
    quiet = _stream(monitor, sx[idx], sy[idx], sent, batch=50)
    quiet_calls = list(calls)
    calls.clear()
    sent[0] = 0
    monitor = monitor_cls(np.array(i["ref_x"]), np.array(i["ref_y"]),
                          on_retrain=lambda *_a, **_k: calls.append(sent[0]))
    clean = rng.integers(0, len(sx), 1000)
    shifted = rng.integers(0, len(sx), 2000)
    reports = _stream(monitor, np.concatenate([sx[clean], plan.studio_shift(sx[shifted])]),
                      np.concatenate([sy[clean], sy[shifted]]), sent)
    fields = {}
    if config is not None:
        for k in dir(config):
            v = getattr(config, k)
            if not k.startswith("_") and isinstance(v, (int, float)) \
                    and not isinstance(v, bool):
                fields[k] = float(v)
    return {"window": window, "quiet": quiet, "quiet_calls": quiet_calls,
            "shift": reports, "shift_calls": calls, "clean_before": len(clean),
            "config": fields}


def retrain(ctx: ProbeContext) -> dict[str, Any]:
    """The hook twice: a weak serving model with good new data (a better candidate), and
    a strong serving model with mislabelled new data (a worse one)."""
    train_model, retrain_fn = ctx.require("train_model", "retrain")
    i = ctx.inputs
    hx, hy = np.array(i["holdout_x"]), np.array(i["holdout_y"])
    hx_pre = np.array(i["holdout_pre"], dtype=np.float32)
    cfg = _config(ctx, epochs=1, seed=0, batch_size=64)
    cases = {
        "better": (train_model(np.array(i["train_x"][:128]), np.array(i["train_y"][:128]),
                               cfg),
                   np.array(i["recent_x"]), np.array(i["recent_y"])),
        "worse": (train_model(np.concatenate([i["train_x"], i["recent_x"]]),
                              np.concatenate([i["train_y"], i["recent_y"]]), cfg),
                  np.array(i["recent_x"]), np.array(i["recent_y_wrong"])),
    }
    # what the hook trains its candidate on: every train_model call it makes, wherever
    # the package's modules imported it from (SHA-1 of each image's bytes)
    trained_on: list[str] = []

    def recording(images: Any, *args: Any, **kwargs: Any) -> Any:
        for image in np.asarray(images, dtype=np.uint8).reshape(-1, 28 * 28):
            trained_on.append(hashlib.sha1(image.tobytes()).hexdigest())
        return train_model(images, *args, **kwargs)

    prefix = ctx.package.__name__
    patched = [m for key, m in list(sys.modules.items())
               if (key == prefix or key.startswith(prefix + "."))
               and getattr(m, "train_model", None) is train_model]
    out: dict[str, Any] = {}
    for name, (serving, rx, ry) in cases.items():
        log = ctx.scratch / f"decisions-{name}.jsonl"
        log.write_text(json.dumps(plan.EARLIER_DECISION) + "\n")  # an earlier day's line
        _scramble(11)
        trained_on.clear()
        for module in patched:
            module.train_model = recording
        try:
            result = retrain_fn(serving, rx, ry, np.array(i["ref_x"][:256]),
                                np.array(i["ref_y"][:256]), hx, hy, log_path=log, config=cfg)
        finally:
            for module in patched:
                module.train_model = train_model
        decision, candidate = result if isinstance(result, tuple) else (result, None)
        promote = decision.get("promote") if isinstance(decision, dict) \
            else getattr(decision, "promote", None)
        out[name] = {
            "promote": promote if isinstance(promote, bool) else None,
            "serving_logits": _outputs(serving, hx_pre)[0],
            "candidate_logits": _outputs(candidate, hx_pre)[0]
            if isinstance(candidate, torch.nn.Module) else None,
            "log": [json.loads(line) for line in log.read_text().splitlines()
                    if line.strip()] if log.exists() else [],
            "log_files": sorted(p.name for p in Path(ctx.scratch).iterdir()
                                if p.name.startswith("decisions")),
            "trained_on": list(trained_on)}
    return out
