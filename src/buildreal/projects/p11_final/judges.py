"""The final project's judges: in the toolkit's process, they decide from what the
learner's ``catalogue`` package returned (see ``probes``) and from RETRAINING.md.
References are computed here: accuracies from the returned logits, hashes compared with
the files' real ones, the expected search answers from the stand-ins' vocabulary."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.data import DataUnavailable, load_fashion_mnist
from buildreal.projects.p10_inference.reference.serving.preprocess import preprocess
from buildreal.projects.p11_final import plan
from buildreal.projects.sandbox import Failed

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot")
ENDPOINTS = ("/predict", "/similar", "/search")


def make_inputs() -> dict[str, Any]:
    """Raw uint8 images in the roles of ``plan`` (small slices), the same images
    preprocessed the course's way for scoring, and a mislabelled copy of the recent
    window for the worse candidate."""
    try:
        x, y = load_fashion_mnist("train")
        tx, ty = load_fashion_mnist("test")
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    y, ty = y.astype(np.int64), ty.astype(np.int64)
    n = plan.CHECK_TRAIN_N
    traffic_x, traffic_y = tx[plan.TRAFFIC], ty[plan.TRAFFIC]
    hx, hy = plan.holdout(tx, ty)
    hx, hy = hx[::4], hy[::4]  # 500 images, half of them shifted
    recent = np.arange(2000, 2000 + n)  # traffic images, shifted: the recent window
    rng = np.random.default_rng(12)
    return {"train_x": x[:n], "train_y": y[:n],
            "eval_x_pre": preprocess(traffic_x[: plan.CHECK_EVAL_N]),
            "eval_y": traffic_y[: plan.CHECK_EVAL_N],
            "known_x": tx[plan.KNOWN], "known_pre": preprocess(tx[plan.KNOWN]),
            "ref_x": x[-plan.REFERENCE_N:], "ref_y": y[-plan.REFERENCE_N:],
            "items_x": tx[plan.CATALOGUE][: plan.CHECK_ITEMS],
            "stream_x": traffic_x[:2000], "stream_y": traffic_y[:2000],
            "recent_x": plan.studio_shift(traffic_x[recent]), "recent_y": traffic_y[recent],
            "recent_y_wrong": rng.permutation(traffic_y[recent] + 3) % 10,
            "holdout_x": hx, "holdout_y": hy, "holdout_pre": preprocess(hx)}


# --- Train a CNN or transformer backbone ----------------------------------------------

def learns(ev: Evidence) -> str:
    logits = ev.array("logits_a", ndim=2)
    want = ev.inputs["eval_y"]
    if logits.shape != (len(want), len(CLASSES)):
        raise Failed(f"the backbone's logits on {len(want)} images have shape {logits.shape}, "
                     f"not ({len(want)}, {len(CLASSES)})")
    acc = float((logits.argmax(1) == want).mean())
    if acc < plan.CHECK_MIN_ACCURACY:
        raise Failed(f"after two epochs on {plan.CHECK_TRAIN_N} images the backbone scores "
                     f"{acc:.3f} on {len(want)} unseen images (chance 0.10); the reference "
                     f"reaches 0.71, at least {plan.CHECK_MIN_ACCURACY} is expected")
    emb = ev.array("embedding_a", ndim=2)
    norms = np.linalg.norm(emb, axis=1)
    if emb.shape[0] != len(want) or not np.allclose(norms, 1.0, atol=1e-3):
        raise Failed("the embeddings are not unit vectors (norms "
                     f"{norms.min():.3f} to {norms.max():.3f}): L2-normalise them so that "
                     "the index's inner product is the cosine similarity")
    return f"accuracy {acc:.3f} on {len(want)} unseen images after two epochs on " \
           f"{plan.CHECK_TRAIN_N}; {emb.shape[1]}-dimensional unit embeddings"


def reproducible(ev: Evidence) -> str:
    a, b = ev.array("logits_a", ndim=2), ev.array("logits_b", ndim=2)
    if a.shape == b.shape and np.array_equal(a, b):
        return "two trainings with seed 0 (after different global random states) give " \
               "bit-identical logits"
    gap = float(np.abs(a - b).max()) if a.shape == b.shape else float("inf")
    raise Failed(f"two trainings with seed 0, started from different global random states, "
                 f"give logits that differ by up to {gap:.3g}: a random draw (initial "
                 "weights, shuffling, dropout) does not come from the configured seed")


def tracked(ev: Evidence) -> str:
    runs = ev.items("runs")
    files = ev.items("files")
    if len(runs) != 2 or len(files) != 2:
        raise Failed("expected two MLflow runs, one per training")
    for n, (run, real) in enumerate(zip(runs, files, strict=True)):
        params, tags = run.get("params", {}), run.get("tags", {})
        missing = [k for k in ("seed", "data_version") if k not in params]
        if missing:
            raise Failed(f"run {n + 1} records no {' or '.join(missing)} param in MLflow")
        if params["seed"] != "0":
            raise Failed(f"run {n + 1} records seed {params['seed']!r}, but it trained with 0")
        if not run.get("metrics"):
            raise Failed(f"run {n + 1} records no metrics")
        hashed = {k[len("sha256."):]: v for k, v in tags.items() if k.startswith("sha256.")}
        if not hashed:
            raise Failed(f"run {n + 1} records no artefact hash (tags sha256.<file>)")
        for name, digest in hashed.items():
            if real.get(name) != digest:
                raise Failed(f"run {n + 1}'s tag sha256.{name} is not the SHA-256 of the "
                             f"{name} it wrote: hash the file after saving it")
    a, b = runs
    if a["params"]["data_version"] != b["params"]["data_version"]:
        raise Failed("the same images gave two different data_version values")
    if a["metrics"] != b["metrics"]:
        diff = sorted(k for k in a["metrics"] if a["metrics"].get(k) != b["metrics"].get(k))
        raise Failed(f"two runs with the same seed and data_version record different metrics "
                     f"({', '.join(diff) or 'different names'}): the run is not reproducible")
    return f"both runs record seed, data_version {a['params']['data_version']}, " \
           f"{len(a['metrics'])} identical metrics and the true hashes of " \
           f"{', '.join(sorted(k[7:] for k in a['tags'] if k.startswith('sha256.')))}"


# --- Export to ONNX and deploy a simple inference service -----------------------------

def onnx_matches(ev: Evidence) -> str:
    logits, emb = ev.array("torch_logits", ndim=2), ev.array("torch_embedding", ndim=2)
    outs_a, outs_b = ev.items("ort_a"), ev.items("ort_b")
    names = [str(n) for n in ev.items("outputs")]
    if len(outs_a) != 2:
        raise Failed(f"the ONNX graph has {len(outs_a)} output(s) {names}; export both the "
                     "logits and the embedding (output_names=['logits', 'embedding'])")
    a = [np.asarray(o, dtype=np.float64) for o in outs_a]
    b = [np.asarray(o, dtype=np.float64) for o in outs_b]
    if a[0].shape != logits.shape or a[1].shape != emb.shape:
        raise Failed(f"ONNX Runtime returned shapes {a[0].shape} and {a[1].shape}; PyTorch "
                     f"returned {logits.shape} and {emb.shape}")
    gaps = (float(np.abs(a[0] - logits).max()), float(np.abs(a[1] - emb).max()))
    if max(gaps) <= plan.ONNX_TOLERANCE:
        return f"max |ONNX Runtime - PyTorch| = {gaps[0]:.1e} (logits), {gaps[1]:.1e} " \
               f"(embeddings) on {len(logits)} known images (tolerance {plan.ONNX_TOLERANCE:g})"
    why = (f"ONNX Runtime differs from PyTorch in evaluation mode by up to {max(gaps):.3g} "
           f"on the known images (tolerance {plan.ONNX_TOLERANCE:g})")
    if not all(np.array_equal(p, q) for p, q in zip(a, b, strict=True)):
        why += ": two runs of the same file disagree, so dropout is in the graph"
    bn = ev.array("torch_bn_batch")
    if bn.shape == a[0].shape and float(np.abs(a[0] - bn).max()) <= 1e-3:
        why += (": the graph normalises with each batch's own statistics, so it was exported "
                "in training mode. Call model.eval() before torch.onnx.export")
    raise Failed(why)


def _ok(call: Any, what: str) -> dict[str, Any]:
    if not isinstance(call, dict) or call.get("status") != 200 \
            or not isinstance(call.get("body"), dict):
        status = call.get("status") if isinstance(call, dict) else None
        body = call.get("body") if isinstance(call, dict) else None
        raise Failed(f"{what} answered {status}: {str(body)[:200]}")
    return call["body"]


def endpoints(ev: Evidence) -> str:
    good = ev.get("good")
    if not isinstance(good, dict):
        raise Failed("the service probe returned no answers")
    body = _ok(good.get("predict"), 'POST /predict {"image": 28 rows}')
    flat = _ok(good.get("predict_flat"), 'POST /predict {"image": 784 pixels}')
    for key in ("class", "confidence", "tags", "description"):
        if key not in body:
            raise Failed(f"POST /predict answered without {key!r}: {str(body)[:200]}")
    if body["class"] not in CLASSES or not 0 <= float(body["confidence"]) <= 1:
        raise Failed(f"POST /predict answered class {body['class']!r} with confidence "
                     f"{body['confidence']!r}: expected a class name and a probability")
    if flat.get("class") != body["class"]:
        raise Failed("the same image as 28 rows and as 784 pixels got different classes")
    sim = _ok(good.get("similar"), "POST /similar")
    results = sim.get("results")
    if not isinstance(results, list) or len(results) != 5:
        raise Failed(f"POST /similar with k=5 answered {str(results)[:200]}, not 5 results")
    scores = [float(r.get("score", np.nan)) for r in results]
    if results[0].get("id") != 7 or not scores[0] > 0.99:
        raise Failed(f"POST /similar with catalogue item 7's own image ranks item "
                     f"{results[0].get('id')} first (score {scores[0]:.3f}): the exact "
                     "same image should come first with cosine similarity 1")
    if scores != sorted(scores, reverse=True):
        raise Failed(f"POST /similar's scores are not in decreasing order: {scores}")
    three = _ok(good.get("similar_k3"), "POST /similar with k=3").get("results")
    if not isinstance(three, list) or len(three) != 3:
        count = len(three) if isinstance(three, list) else three
        raise Failed(f"POST /similar with k=3 answered {count} results: return the k items "
                     "asked for")
    en = _ok(good.get("search_en"), "GET /search?q=trousers")
    hits = en.get("results") or []
    if len(hits) != 3 or not all("trousers" in str(h.get("description", "")) for h in hits):
        raise Failed("GET /search?q=trousers&k=3 answered descriptions "
                     f"{[h.get('description') for h in hits]}: expected 3, each of them "
                     "trousers (the stand-in encoder matches the word)")
    es = _ok(good.get("search_es"), "GET /search?q=pantalones&lang=es")
    to_en = ev.items("es_en_calls")
    if ["pantalones"] not in to_en:
        raise Failed("a Spanish query did not reach the es->en translator as ['pantalones'] "
                     f"(its calls: {to_en[:3]})")
    hits = es.get("results") or []
    if len(hits) != 3 or not all("pantalones" in str(h.get("description", ""))
                                 for h in hits):
        raise Failed("GET /search?q=pantalones&lang=es&k=3 answered descriptions "
                     f"{[h.get('description') for h in hits]}: expected 3 trousers, their "
                     "descriptions translated back into Spanish by the en->es translator")
    return f"/predict, /similar (item 7 first, score {scores[0]:.3f}), /search in English " \
           "and in Spanish (3 trousers each, Spanish answers translated back) answer to " \
           "the contract"


def bad_input(ev: Evidence) -> str:
    bad = ev.get("bad")
    if not isinstance(bad, dict) or not bad:
        raise Failed("the service probe sent no bad requests")
    for what, call in bad.items():
        status = call.get("status") if isinstance(call, dict) else None
        body = call.get("body") if isinstance(call, dict) else None
        if not isinstance(status, int) or not 400 <= status < 500:
            raise Failed(f"{what} answered {status} ({str(body)[:120]}): bad input is the "
                         "caller's mistake and needs a 4xx that says what to fix, never a 5xx")
        detail = body.get("detail") if isinstance(body, dict) else None
        if not isinstance(detail, (str, list)) or not detail:
            raise Failed(f"{what} answered {status} without a 'detail' message saying what "
                         "was wrong")
    return f"all {len(bad)} malformed requests got a 4xx with a message"


def _samples(text: str, name: str) -> dict[str, float]:
    """{labels: value} of one Prometheus sample name."""
    out = {}
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            head, _, value = line.rpartition(" ")
            if head.split("{")[0] == name:
                try:
                    out[head[len(name):]] = float(value)
                except ValueError:
                    pass
    return out


def metrics(ev: Evidence) -> str:
    if ev.get("metrics_status") != 200:
        raise Failed(f"GET /metrics answered {ev.get('metrics_status')}")
    text = ev.text("metrics")
    counters = [m for m in re.findall(r"^# TYPE (\S+) counter", text, re.M)]
    histograms = [m for m in re.findall(r"^# TYPE (\S+) histogram", text, re.M)]
    if not histograms:
        raise Failed("/metrics exposes no latency histogram")
    want = int(ev.get("predict_requests"))
    for c in counters:
        samples = _samples(text, c + "_total" if not c.endswith("_total") else c)
        on_predict = {k: v for k, v in samples.items() if '"/predict"' in k}
        if on_predict:
            total = sum(on_predict.values())
            if total != want:
                raise Failed(f"/metrics counts {total:g} requests to /predict in {c}, but "
                             f"{want} were sent (the 4xx answers count too)")
            errors = sum(v for k, v in on_predict.items() if re.search(r'"4\d\d"', k))
            if errors == 0:
                raise Failed(f"{c} has no label telling 4xx answers from successes")
            return f"{c} counts all {want} /predict requests ({errors:g} of them 4xx); " \
                   f"latency histogram {histograms[0]}"
    raise Failed("/metrics has no request counter labelled by endpoint (\"/predict\")")


# --- Add monitoring, drift detection, and retraining hooks ----------------------------

def detects(ev: Evidence) -> str:
    reports = ev.items("shift")
    clean = int(ev.get("clean_before"))
    first = next((r["end_request"] - clean for r in reports
                  if r.get("drifted") and r.get("end_request", 0) > clean), None)
    if first is None or first > plan.DETECT_WITHIN:
        raise Failed(f"the studio shift (pixels mapped to {plan.SHIFT_OFFSET} + "
                     f"{plan.SHIFT_SCALE} x value) raised no alert within "
                     f"{plan.DETECT_WITHIN} requests" + (f" (first after {first})"
                                                           if first else ""))
    calls = [c - clean for c in ev.items("shift_calls") if c > clean]
    if not calls or calls[0] > plan.RETRAIN_WITHIN:
        raise Failed(f"the retraining hook was not called within {plan.RETRAIN_WITHIN} "
                     "requests of a sustained shift")
    signals = next(r["alerts"] for r in reports if r.get("drifted")
                   and r["end_request"] > clean)
    return f"first alert {first} requests after the shift ({', '.join(signals)}); " \
           f"retraining hook called after {calls[0]}"


def quiet(ev: Evidence) -> str:
    reports = ev.items("quiet")
    if len(reports) < plan.CHECK_WINDOWS:
        raise Failed(f"{len(reports)} windows closed on {plan.CHECK_WINDOWS} windows' worth "
                     "of requests: observe() must return each completed window's report")
    alarms = sum(bool(r.get("drifted")) for r in reports)
    if alarms / len(reports) > plan.FALSE_ALARM_RATE:
        raise Failed(f"{alarms} of {len(reports)} windows of unshifted held-out traffic "
                     f"raised an alert (above {plan.FALSE_ALARM_RATE:.0%}): loosen the "
                     "thresholds or widen the window")
    if ev.items("quiet_calls"):
        raise Failed("the retraining hook was called on unshifted traffic")
    return f"{alarms} false alarm(s) in {len(reports)} windows of unshifted traffic"


def _accuracy(ev: Evidence, case: dict[str, Any], key: str) -> float:
    logits = case.get(key)
    if logits is None:
        raise Failed("retrain() must return (decision, candidate model)")
    logits = np.asarray(logits, dtype=np.float64)
    return float((logits.argmax(1) == ev.inputs["holdout_y"]).mean())


def _case(ev: Evidence, name: str) -> tuple[dict[str, Any], float, float]:
    case = ev.get(name)
    if not isinstance(case, dict) or case.get("promote") is None:
        raise Failed(f"the {name}-candidate run returned no decision with a boolean 'promote'")
    return case, _accuracy(ev, case, "serving_logits"), _accuracy(ev, case, "candidate_logits")


def promotes_better(ev: Evidence) -> str:
    case, old, new = _case(ev, "better")
    if new <= old:
        raise Failed(f"the candidate trained on the recent window scored {new:.3f} against "
                     f"the serving model's {old:.3f}: it should have been better")
    if not case["promote"]:
        raise Failed(f"a candidate scoring {new:.3f} on the holdout against the serving "
                     f"model's {old:.3f} was not promoted")
    return f"promoted: candidate {new:.3f} vs serving {old:.3f} on the fixed holdout"


def refuses_worse(ev: Evidence) -> str:
    case, old, new = _case(ev, "worse")
    if case["promote"] and new < old:
        raise Failed(f"a candidate scoring {new:.3f} on the holdout was promoted over a "
                     f"serving model scoring {old:.3f}: compare on the holdout and promote "
                     "only a better one")
    if case["promote"]:
        raise Failed(f"the mislabelled-window candidate ({new:.3f}) was promoted over "
                     f"{old:.3f}")
    return f"kept the serving model: candidate {new:.3f} vs serving {old:.3f}"


def logged(ev: Evidence) -> str:
    for name in ("better", "worse"):
        case = ev.get(name)
        log = case.get("log") if isinstance(case, dict) else None
        if not log or log == [plan.EARLIER_DECISION]:
            raise Failed(f"the {name}-candidate decision was not written to log_path")
        if log[0] != plan.EARLIER_DECISION:
            raise Failed(f"log_path held an earlier decision before the hook ran, and after "
                         f"it holds {len(log)} line(s) without that one: the log was "
                         "overwritten. Open it for appending, one JSON line per decision, so "
                         "the history of decisions survives")
        entry = log[-1]
        if not isinstance(entry, dict) or entry.get("promote") != case.get("promote"):
            raise Failed(f"the logged {name}-candidate decision {str(entry)[:160]} does not "
                         "record the decision taken ('promote')")
        numbers = [v for v in entry.values() if isinstance(v, (int, float))
                   and not isinstance(v, bool)]
        if len(numbers) < 2:
            raise Failed("the logged decision does not record both accuracies")
    return "both decisions logged with their accuracies"


def _stated(accuracy: float, numbers: list[float]) -> bool:
    """Whether one of ``numbers`` is ``accuracy``, as a fraction or in percent."""
    return any(abs(v - accuracy) <= 0.01 or abs(v - 100 * accuracy) <= 1.0 for v in numbers)


def holdout_honest(ev: Evidence) -> str:
    import hashlib

    held = {hashlib.sha1(np.ascontiguousarray(x, dtype=np.uint8).tobytes()).hexdigest()
            for x in ev.inputs["holdout_x"]}
    said = []
    for name in ("better", "worse"):
        case = ev.get(name)
        if not isinstance(case, dict):
            raise Failed(f"the {name}-candidate run returned nothing")
        trained = set(case.get("trained_on") or [])
        leaked = len(held & trained)
        if leaked > 0.01 * len(held):
            raise Failed(f"the {name} candidate was trained on {leaked} of the {len(held)} "
                         "holdout images: a holdout that enters training cannot judge the "
                         "candidate. Train on the recent window and the reference data only")
        log = case.get("log") or []
        numbers = [float(v) for v in (log[-1].values() if log and isinstance(log[-1], dict)
                                      else []) if isinstance(v, (int, float))
                   and not isinstance(v, bool)]
        if numbers and case.get("candidate_logits") is not None:
            _, old, new = _case(ev, name)

            if not _stated(new, numbers) or not _stated(old, numbers):
                raise Failed(f"the {name} decision records {numbers[:4]}, but on the fixed "
                             f"holdout the candidate scores {new:.3f} and the serving model "
                             f"{old:.3f}: judge both models on the holdout, not on the data "
                             "the candidate trained on")
        said.append(f"{name}: {len(trained)} training images, none from the holdout")
    return "; ".join(said)


# --- Documented retraining criteria ---------------------------------------------------

def criteria(ev: Evidence) -> str:
    text = ev.read_text("RETRAINING.md")
    if text is None:
        raise Failed("RETRAINING.md is missing: state when the service retrains, how a "
                     "candidate is judged, and when it is promoted")
    config = ev.get("config")
    if not isinstance(config, dict) or not config:
        raise Failed("DriftMonitor has no config with its thresholds to compare with")
    lower = text.lower()
    for words in (("holdout",), ("promot",), ("window",), ("psi",)):
        if not any(w in lower for w in words):
            raise Failed(f"RETRAINING.md never mentions {words[0]!r}")
    numbers = {float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?", text)}
    missing = [f"{k} = {v:g}" for k, v in config.items() if v not in numbers]
    if missing:
        raise Failed(f"RETRAINING.md does not state the monitor's {', '.join(missing)}: the "
                     "document and the code disagree")
    return f"RETRAINING.md states the monitor's {len(config)} numbers and the promotion rule"
