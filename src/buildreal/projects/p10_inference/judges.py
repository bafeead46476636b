"""Project 10's judges: in the toolkit's process, they decide from what the learner's
``serving`` package returned (see ``probes``) and from the learner's benchmarks.json and
RETRAINING.md. References are computed here: softmax and argmax from the PyTorch logits,
PSI and KS (scipy) on the same arrays, percentiles with numpy."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
from scipy import stats

from buildreal.projects.checking import Evidence
from buildreal.projects.data import DataUnavailable, load_fashion_mnist
from buildreal.projects.p10_inference import plan
from buildreal.projects.sandbox import Failed

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot")


def make_inputs() -> dict[str, Any]:
    """Raw uint8 images: training subset, the known samples (first test images), the
    monitor's reference and a stream of unseen test images; fixed statistics samples;
    a fixed, unsorted, long-tailed sample of latencies."""
    try:
        train_x, train_y = load_fashion_mnist("train")
        test_x, test_y = load_fashion_mnist("test")
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    rng = np.random.default_rng(10)
    ref = slice(len(train_x) - plan.REFERENCE_N, len(train_x))
    stat_ref = rng.normal(0.0, 1.0, 2000)
    stat_live = np.stack([rng.normal(0.4, 1.0, 300), rng.normal(-0.4, 1.0, 300),
                          rng.normal(0.0, 1.6, 300), rng.normal(0.0, 1.0, 300)])
    latencies = rng.lognormal(0.0, 0.6, 1001) + (rng.random(1001) < 0.03) * 20.0
    # a live sample far to the right: most reference bins stay empty (PSI must floor them)
    stat_live = np.concatenate([stat_live, rng.normal(2.5, 0.2, (1, 300))])
    return {"train_x": train_x[: plan.TRAIN_N], "train_y": train_y[: plan.TRAIN_N].astype(np.int64),
            "known_x": test_x[: plan.KNOWN_N], "known_y": test_y[: plan.KNOWN_N].astype(np.int64),
            "ref_x": train_x[ref], "ref_y": train_y[ref].astype(np.int64),
            "stream_x": test_x[plan.KNOWN_N :], "stream_y": test_y[plan.KNOWN_N :].astype(np.int64),
            "stat_ref": stat_ref, "stat_live": stat_live,
            "latencies": latencies}


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# --- Model exported and validated in ONNX ---------------------------------------------

def onnx_matches(ev: Evidence) -> str:
    ref = ev.array("torch", ndim=2)
    a, b = ev.array("ort_a"), ev.array("ort_b")
    if a.shape != ref.shape:
        raise Failed(f"ONNX Runtime returned shape {a.shape} for the known samples; PyTorch "
                     f"returned {ref.shape}")
    gap = float(np.abs(a - ref).max())
    if gap <= plan.ONNX_TOLERANCE:
        return f"max |ONNX Runtime - PyTorch| = {gap:.2e} on {len(ref)} known samples " \
               f"(tolerance {plan.ONNX_TOLERANCE:g})"
    why = (f"ONNX Runtime's logits differ from PyTorch's (evaluation mode) by up to {gap:.3f} "
           f"on the known samples, above the tolerance {plan.ONNX_TOLERANCE:g}")
    if not np.array_equal(a, b):
        why += ": two runs of the same graph disagree, so dropout is in it"
    bn = ev.array("torch_bn_batch")
    if bn.shape == a.shape and float(np.abs(a - bn).max()) <= 1e-3:
        why += (": your graph normalises with each batch's own statistics, so it was "
                "exported in training mode. Call model.eval() and export with "
                "TrainingMode.EVAL (the default)")
    raise Failed(why)


def predictions_match(ev: Evidence) -> str:
    logits = ev.array("torch", ndim=2)
    probs = _softmax(logits)
    want = probs.argmax(1)
    labels = ev.array("labels", dtype=np.int64)
    conf = ev.array("confidences")
    n = len(logits)
    if labels.shape != (n,) or conf.shape != (n,):
        raise Failed(f"predict(known samples) returned shapes {labels.shape} and "
                     f"{conf.shape}; expected ({n},) each")
    wrong = int((labels != want).sum())
    if wrong:
        raise Failed(f"{wrong} of {n} known samples get a different class from the "
                     "exported model than from the PyTorch model it came from")
    best = probs[np.arange(n), want]
    gap = float(np.abs(conf - best).max())
    if gap <= plan.CONFIDENCE_TOLERANCE:
        return f"all {n} known samples: same class as PyTorch, confidence = softmax " \
               f"probability (max gap {gap:.1e})"
    twice = _softmax(probs)[np.arange(n), want]
    if np.allclose(conf, twice, atol=1e-4):
        raise Failed("your confidence is a softmax of probabilities: softmax is applied "
                     f"twice, so every confidence is squeezed near 0.1-0.25 (e.g. "
                     f"{conf[0]:.3f} instead of {best[0]:.3f})")
    if np.allclose(conf, logits.max(1), atol=1e-3) or conf.max() > 1 or conf.min() < 0:
        raise Failed(f"your confidence ({conf[0]:.3f} for the first sample) is a raw logit, "
                     f"not a probability: apply softmax to the logits (it should be "
                     f"{best[0]:.3f})")
    raise Failed(f"your confidences differ from the softmax probability of the predicted "
                 f"class by up to {gap:.3f}")


def seeded(ev: Evidence) -> str:
    a, b = ev.array("torch", ndim=2), ev.array("again", ndim=2)
    if a.shape == b.shape and np.array_equal(a, b):
        return "two trainings with seed 0 give bit-identical logits on the known samples"
    gap = float(np.abs(a - b).max()) if a.shape == b.shape else float("inf")
    raise Failed(f"two trainings with seed 0 (after different global random states) give "
                 f"logits that differ by up to {gap:.3f} on the known samples: some random "
                 "draw (initial weights, shuffling, dropout) ignores the seed, so a retrained "
                 "model cannot be compared with the checksum you recorded")


def versioned(ev: Evidence) -> str:
    import hashlib

    meta = ev.get("metadata")
    version = ev.get("version")
    if not isinstance(version, str) or not version:
        raise Failed("serving/preprocess.py defines no PREPROCESS_VERSION string")
    if not isinstance(meta, dict) or meta.get("preprocess_version") != version:
        raise Failed(f"the exported ONNX file's metadata has preprocess_version "
                     f"{(meta or {}).get('preprocess_version')!r}, not {version!r}: record "
                     "the version in the model file (onnx.helper.set_model_props)")
    x = ev.array("preprocessed", dtype=np.float32)
    digest = hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest()
    if meta.get("preprocess_sha256") != digest:
        raise Failed("the metadata's preprocess_sha256 is not the SHA-256 of "
                     "preprocess(known samples) as float32 bytes")
    return f"the ONNX file records preprocess_version {version!r} and its fingerprint " \
           f"{digest[:12]}..."


def same_preprocessing(ev: Evidence) -> str:
    training = [np.asarray(t, dtype=np.float32) for t in ev.items("training_inputs")]
    served = [np.asarray(s, dtype=np.float32) for s in ev.items("served_inputs")]
    if not training:
        raise Failed("train_model never called the model built by build_model")
    if len(served) < 8:
        raise Failed(f"8 /predict requests for 8 different images reached ONNX Runtime "
                     f"{len(served)} time(s): the others were answered without the model, so a "
                     "cache (or a stored result) answers one image with another's prediction. "
                     "Key any cache on the image's bytes, or run the model on every request")
    rows = np.concatenate([t.reshape(len(t), -1) for t in training])  # (M, 784)
    known = ev.inputs["known_x"]
    for i, s in enumerate(served[:8]):
        if s.size != 784:
            raise Failed(f"request {i}: the service fed ONNX Runtime shape {s.shape}, "
                         "expected one (1, 1, 28, 28) image")
        flat = s.reshape(-1)
        if np.abs(rows - flat).max(1).min() <= 1e-6:
            continue
        swapped = s.reshape(28, 28).T.reshape(-1)
        raw = known[i].astype(np.float32).reshape(-1)
        if np.abs(rows - swapped).max(1).min() <= 1e-6:
            raise Failed("serving feeds the model the image with height and width swapped "
                         "(axes transposed) relative to training")
        if np.allclose(flat, raw / 255.0, atol=1e-5):
            raise Failed("serving divides the pixels by 255 but does not normalise them the "
                         "way training does (mean and standard deviation): the model sees "
                         "inputs it was never trained on")
        raise Failed(f"request {i}: the service's input to the model (mean {flat.mean():.3f}, "
                     f"std {flat.std():.3f}) matches no input training produced from the same "
                     "image: use the same preprocess() in both")
    monitored = [np.asarray(m, dtype=np.float64) for m in ev.items("monitor_inputs")] \
        if ev.has("monitor_inputs") else []
    sent = {row.tobytes() for row in np.concatenate(
        [known, ev.inputs["stream_x"][:2000]]).reshape(-1, 784).astype(np.uint8)}
    for images in monitored:
        if images.size == 0 or images.size % 784:
            continue
        rows = images.reshape(-1, 784)
        raw = np.clip(np.rint(rows), 0, 255).astype(np.uint8)
        if not np.array_equal(raw, rows) or any(r.tobytes() not in sent for r in raw):
            raise Failed("the service hands the drift monitor something other than the raw "
                         f"request images (values from {rows.min():.3f} to {rows.max():.3f}, "
                         "not the pixels sent): the monitor's reference is raw training "
                         "images, so feed it the raw pixels too")
    return "the 8 served images reached ONNX Runtime exactly as training preprocessed them"


def _metric_total(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            head = line.split("{")[0].split(" ")[0]
            if head == name:
                try:
                    total += float(line.rsplit(" ", 1)[1])
                except ValueError:
                    pass
    return total


def service(ev: Evidence) -> str:
    singles = ev.items("singles")
    for s in singles:
        body = s.get("body") if isinstance(s, dict) else None
        if not isinstance(s, dict) or s.get("status") != 200 or not isinstance(body, dict):
            raise Failed(f'POST /predict {{"input": image}} answered {s.get("status")}: '
                         f"{str(body)[:160]}")
        missing = [k for k in ("prediction", "confidence", "latency_ms") if k not in body]
        if missing:
            raise Failed(f"POST /predict answered without {', '.join(missing)}: {body}")
        if body["prediction"] not in CLASSES:
            raise Failed(f"prediction {body['prediction']!r} is not a class name such as "
                         "'Ankle boot'")
        if not (isinstance(body["confidence"], float) and 0 <= body["confidence"] <= 1):
            raise Failed(f"confidence {body['confidence']!r} is not a probability")
        if not (isinstance(body["latency_ms"], (int, float)) and body["latency_ms"] > 0):
            raise Failed(f"latency_ms {body['latency_ms']!r} is not a positive number")
    if ev.integer("batch_status") != 200:
        raise Failed(f"POST /predict/batch with 32 raw images answered "
                     f"{ev.integer('batch_status')}")
    raw = ev.array("batch_body", dtype=np.uint8)
    if raw.size != 32 * 5:
        raise Failed(f"/predict/batch answered {raw.size} bytes for 32 images; expected "
                     "32 class bytes then 32 float32 confidences (160 bytes)")
    classes = raw[:32]
    singles_cls = [CLASSES.index(s["body"]["prediction"]) for s in singles]
    if list(classes[:8]) != singles_cls:
        raise Failed(f"/predict/batch classes {list(classes[:8])} differ from /predict's "
                     f"{singles_cls} for the same images")
    singles_conf = np.array([float(s["body"]["confidence"]) for s in singles])
    batch_conf = raw[32:].tobytes()
    conf = np.frombuffer(batch_conf, dtype="<f4")[:8].astype(np.float64)
    if not np.allclose(conf, singles_conf, atol=1e-3):
        swapped = np.frombuffer(batch_conf, dtype=">f4")[:8].astype(np.float64)
        said = (": they are big-endian float32, the contract says little-endian ('<f4')"
                if np.allclose(swapped, singles_conf, atol=1e-3) else "")
        raise Failed(f"/predict/batch confidences {np.round(conf[:3], 4).tolist()} differ from "
                     f"/predict's {np.round(singles_conf[:3], 4).tolist()} for the same "
                     f"images{said}")
    if ev.integer("health_status") != 200:
        raise Failed(f"GET /healthz answered {ev.integer('health_status')}")
    if ev.integer("metrics_status") != 200:
        raise Failed(f"GET /metrics answered {ev.integer('metrics_status')}")
    text = ev.text("metrics")
    if "_bucket{" not in text or "# TYPE" not in text:
        raise Failed("/metrics has no Prometheus histogram (no *_bucket lines): record "
                     "latencies with prometheus_client.Histogram")
    counters = [n for n in re.findall(r"# TYPE (\S+) counter", text)]
    sent = ev.integer("requests_sent")
    totals = [_metric_total(text, m) for n in counters for m in {n, n.removesuffix("_total")
                                                               + "_total"}]
    if not any(t >= sent for t in totals):
        raise Failed(f"no counter in /metrics reaches the {sent} requests sent")
    if not re.search(r"^[a-z_]*(psi|drift|ks)[a-z_]*(\{[^}]*\})? [0-9.e+-]+$", text,
                     re.MULTILINE | re.IGNORECASE):
        raise Failed("/metrics shows no drift statistic (a gauge named like drift_psi) "
                     "after a full window of traffic")
    return "/predict, /predict/batch, /healthz and /metrics (histogram, counters, drift " \
           "gauges) answer as specified"


# --- Latency/throughput benchmarks recorded ---------------------------------------------

def percentiles(ev: Evidence) -> str:
    summary = ev.get("summary")
    lat = np.asarray(ev.inputs["latencies"], dtype=np.float64)
    for q in (50, 95, 99):
        key = f"p{q}"
        if not isinstance(summary, dict) or key not in summary:
            raise Failed(f"latency_summary returned no {key!r}")
        lo = float(np.percentile(lat, q, method="lower"))
        hi = float(np.percentile(lat, q, method="higher"))
        got = summary[key]
        if not lo - 1e-9 <= got <= hi + 1e-9:
            raise Failed(f"latency_summary gives {key} = {got:.3f} ms for a fixed sample whose "
                         f"{key} lies between {lo:.3f} and {hi:.3f} ms: percentiles come from "
                         "the sorted latencies (np.percentile sorts for you)")
    return "p50/p95/p99 agree with numpy's on a fixed long-tailed sample"


def benchmarks_file(ev: Evidence) -> str:
    text = ev.read_text("benchmarks.json")
    if text is None:
        raise Failed("benchmarks.json is missing: run your benchmark and save its rows there")
    try:
        rows = json.loads(text)["rows"]
    except (ValueError, KeyError, TypeError):
        raise Failed("benchmarks.json must be an object with a 'rows' list") from None
    seen: dict[str, set[int]] = {}
    for row in rows if isinstance(rows, list) else []:
        try:
            runtime, b = str(row["runtime"]), int(row["batch_size"])
            p50, p95, p99 = (float(row[k]) for k in ("p50_ms", "p95_ms", "p99_ms"))
            tput = float(row["throughput_per_s"])
        except (KeyError, TypeError, ValueError):
            raise Failed(f"benchmarks.json row {row!r} lacks runtime, batch_size, p50_ms, "
                         "p95_ms, p99_ms or throughput_per_s") from None
        if not 0 < p50 <= p95 <= p99:
            raise Failed(f"{runtime} batch {b}: p50 {p50}, p95 {p95}, p99 {p99} ms are not "
                         "positive and increasing")
        expected = b / (p50 / 1000.0)
        if not expected / 8 <= tput <= expected * 8:  # mean vs median on a busy CPU
            unit = " (it counts batches per second, not images)" if \
                math.isclose(tput * b, expected, rel_tol=0.75) and b > 4 else ""
            raise Failed(f"{runtime} batch {b}: throughput {tput:.0f}/s does not fit a p50 of "
                         f"{p50} ms, which gives about {expected:.0f} images/s{unit}")
        seen.setdefault(runtime, set()).add(b)
    ort = next((k for k in seen if "onnx" in k.lower() or "ort" == k.lower()), None)
    eager = next((k for k in seen if "torch" in k.lower() or "eager" in k.lower()), None)
    if ort is None or eager is None:
        raise Failed(f"benchmarks.json has runtimes {sorted(seen)}; record both ONNX Runtime "
                     "and PyTorch eager")
    for name in (ort, eager):
        if 1 not in seen[name] or max(seen[name]) < 64:
            raise Failed(f"{name}: batch sizes {sorted(seen[name])}; include 1 and at least "
                         "one of 64 or more")
    return f"{len(rows)} rows: {ort} and {eager} at batch sizes " \
           f"{sorted(seen[ort] & seen[eager])}"


# --- Drift monitoring pipeline working ----------------------------------------------------

def _psi_with_bins(ref: np.ndarray, live: np.ndarray, edges: np.ndarray) -> float:
    r = np.maximum(np.bincount(np.searchsorted(edges, ref, side="right"),
                               minlength=len(edges) + 1) / len(ref), 1e-4)
    c = np.maximum(np.bincount(np.searchsorted(edges, live, side="right"),
                               minlength=len(edges) + 1) / len(live), 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def psi_check(ev: Evidence) -> str:
    if ev.has("psi_error"):
        raise Failed(f"psi {ev.text('psi_error')}")
    got = ev.array("psi", ndim=1)
    ref, lives = ev.inputs["stat_ref"], ev.inputs["stat_live"]
    if got.shape != (len(lives),):
        raise Failed(f"psi returned {got.shape} values for {len(lives)} calls")
    if not np.isfinite(got).all():
        raise Failed(f"your PSI is {got[~np.isfinite(got)][0]} for a live sample that leaves "
                     "some reference bins empty: log(0) has no value. Floor each bin's share "
                     "(at 1e-4, say) before taking the logarithm")
    # the last sample empties most bins: its value depends on the floor chosen, so only
    # its size is judged; the others must match ten reference-decile bins
    got, extreme = got[:-1], float(got[-1])
    lives = lives[:-1]
    q = np.linspace(0, 1, 11)[1:-1]
    want = np.array([_psi_with_bins(ref, live, np.quantile(ref, q)) for live in lives])
    if np.allclose(got, want, rtol=0.05, atol=0.01):
        if extreme <= max(1.0, float(got.max())):
            raise Failed(f"your PSI is {extreme:.3f} for a live sample that empties most "
                         "reference bins: such a shift should score far above the others")
        return f"PSI {', '.join(f'{v:.3f}' for v in got)} on four fixed samples, as with ten " \
               f"reference-quantile bins; {extreme:.1f} for a far shift"
    live_bins = np.array([_psi_with_bins(ref, live, np.quantile(live, q)) for live in lives])
    if np.allclose(got, live_bins, rtol=0.05, atol=0.01):
        raise Failed("your PSI takes its bin edges from the live window: the bins then move "
                     "with the shift they should measure. Fix the edges once, from the "
                     "reference's quantiles")
    raise Failed(f"PSI values {np.round(got, 3).tolist()} differ from "
                 f"{np.round(want, 3).tolist()} (ten bins at the reference's deciles, "
                 "shares floored at 1e-4)")


def ks_check(ev: Evidence) -> str:
    if ev.has("ks_error"):
        raise Failed(f"ks_2samp {ev.text('ks_error')}")
    got = ev.items("ks")
    ref, lives = ev.inputs["stat_ref"], ev.inputs["stat_live"]
    for live, pair in zip(lives, got, strict=False):
        want = stats.ks_2samp(ref, live)
        if not isinstance(pair, list) or len(pair) != 2:
            raise Failed("ks_2samp must return (statistic, p-value)")
        d, p = float(pair[0]), float(pair[1])
        if abs(d - want.statistic) > 1e-9:
            one = stats.ks_2samp(ref, live, alternative="greater", method="asymp").statistic
            other = stats.ks_2samp(ref, live, alternative="less", method="asymp").statistic
            if abs(d - one) < 1e-9 or abs(d - other) < 1e-9:
                raise Failed(f"your KS statistic {d:.4f} is one-sided (scipy's two-sided D is "
                             f"{want.statistic:.4f}): take the largest absolute gap between "
                             "the two empirical CDFs")
            raise Failed(f"your KS statistic is {d:.4f}; scipy.stats.ks_2samp gives "
                         f"{want.statistic:.4f} on the same samples: evaluate both empirical "
                         "CDFs on sorted samples")
        if not (abs(p - want.pvalue) <= 0.02 or (p < 1e-3 and want.pvalue < 1e-3)):
            raise Failed(f"your KS p-value {p:.4f} differs from scipy's {want.pvalue:.4f} "
                         "(statistic right, p-value formula wrong?)")
    if len(got) != len(lives):
        raise Failed(f"ks_2samp was called {len(lives)} times but {len(got)} results came back")
    return f"statistic equal to scipy.stats.ks_2samp's and p-values within 0.02 on " \
           f"{len(lives)} fixed samples"


def _reports(ev: Evidence, name: str) -> list[dict[str, Any]]:
    reports = ev.items(name)
    if not reports:
        raise Failed(f"the {name} stream completed no window: observe() returned no reports")
    return reports


def detects(ev: Evidence) -> str:
    found = []
    start = plan.CLEAN_BEFORE_SHIFT
    for name in ("brightness", "noise", "class_mix"):
        hits = [r["end_request"] - start for r in _reports(ev, name)
                if r["drifted"] and r["end_request"] > start]
        first = min(hits) if hits else None
        if first is None or first > plan.DETECT_WITHIN:
            raise Failed(f"{name.replace('_', ' ')} shift starting at request {start}: "
                         + ("no alert in the next " f"{plan.SHIFT_REQUESTS} requests"
                            if first is None else f"the first alert came {first} requests "
                            f"later, not within {plan.DETECT_WITHIN}"))
        found.append(f"{name.replace('_', ' ')} after {first}")
    return "alerts within " + ", ".join(found) + " requests"


def quiet(ev: Evidence) -> str:
    reports = _reports(ev, "unshifted")
    alarms = sum(1 for r in reports if r["drifted"])
    rate = alarms / len(reports)
    if rate <= plan.FALSE_ALARM_RATE:
        return f"{alarms} alert(s) in {len(reports)} unshifted windows ({rate:.1%})"
    raise Failed(f"alerts fired on {alarms} of {len(reports)} windows of unshifted test images "
                 f"({rate:.0%}; at most {plan.FALSE_ALARM_RATE:.0%} allowed): check the "
                 "direction of each comparison (a small p-value is the alarm) and the "
                 "thresholds")


def recovers(ev: Evidence) -> str:
    end_shift = plan.CLEAN_BEFORE_SHIFT + plan.SHIFT_REQUESTS
    late = [r for r in _reports(ev, "brightness")
            if r["drifted"] and r["end_request"] > end_shift + plan.QUIET_AFTER]
    if late:
        raise Failed(f"after the brightness shift ended at request {end_shift}, alerts still "
                     f"fired {len(late)} time(s) more than {plan.QUIET_AFTER} requests later "
                     f"(last at request {late[-1]['end_request']}): the window keeps old "
                     "requests. Empty it after each comparison")
    return f"no alert later than {plan.QUIET_AFTER} requests after traffic returned to normal"


# --- Clear retraining criteria documented --------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def criteria(ev: Evidence) -> str:
    text = ev.read_text("RETRAINING.md")
    if text is None:
        raise Failed("RETRAINING.md is missing: write down when the model is retrained")
    config = ev.get("config")
    if not isinstance(config, dict) or not config:
        raise Failed("DriftMonitor.config is not a dataclass of numbers (window, thresholds)")
    numbers = [float(m) for m in _NUMBER.findall(text.replace(",", ""))]
    missing = [k for k, v in config.items()
               if not any(math.isclose(n, float(v), rel_tol=1e-9, abs_tol=1e-12)
                          for n in numbers)]
    if missing:
        raise Failed(f"RETRAINING.md does not state the monitor's {', '.join(missing)} "
                     f"({', '.join(str(config[k]) for k in missing)}): criteria without the "
                     "numbers the code uses are not criteria")
    lower = text.lower()
    absent = [w for w in ("psi", "ks", "prediction", "window") if w not in lower]
    if absent:
        raise Failed(f"RETRAINING.md never mentions {', '.join(absent)}")
    return f"RETRAINING.md states all {len(config)} numbers of the monitor's configuration"


def hook(ev: Evidence) -> str:
    calls = ev.get("retrain_calls")
    if not isinstance(calls, dict):
        raise Failed("no retraining hook calls were recorded")
    early = {k: [c for c in v if c <= plan.CLEAN_BEFORE_SHIFT] for k, v in calls.items()
             if isinstance(v, list)}
    if any(early.values()):
        k = next(k for k, v in early.items() if v)
        raise Failed(f"the retraining hook fired at request {early[k][0]}, during the "
                     f"{plan.CLEAN_BEFORE_SHIFT} requests of unshifted traffic before the "
                     f"{k.replace('_', ' ')} shift")
    sparse = ev.items("sparse_calls") if ev.has("sparse_calls") else []
    if sparse:
        drifted = sum(1 for r in ev.items("sparse") if r.get("drifted"))
        raise Failed(f"the retraining hook fired at request {sparse[0]} of a stream with only "
                     f"isolated drifted windows ({drifted} drifted, each followed by "
                     f"{plan.SPARSE_GAP} unshifted ones): that is not sustained drift. Count "
                     "consecutive drifted windows and reset the count on a clean one")
    silent = [k for k in ("brightness", "noise") if not calls.get(k)]
    if silent:
        raise Failed(f"{plan.SHIFT_REQUESTS} requests of {' and '.join(silent)} shift never "
                     "called on_retrain: the criteria are met but the hook is not started")
    return f"hook first fired at request {calls['brightness'][0]} (brightness shift from " \
           f"{plan.CLEAN_BEFORE_SHIFT}) and {calls['noise'][0]} (noise), never during " \
           "unshifted traffic"
