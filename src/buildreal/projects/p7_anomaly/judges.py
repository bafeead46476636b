"""Project 7's judges: in the toolkit's process, they decide from what the learner's
``anomaly`` package returned (see ``probes``) and from the learner's report. AUROC,
the scaler's expected statistics and the expected false positives are recomputed here."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import numpy as np

from buildreal.projects.checking import Evidence
from buildreal.projects.data import DataUnavailable, load_outlier_set
from buildreal.projects.p7_anomaly import plan
from buildreal.projects.sandbox import Failed


@functools.lru_cache(maxsize=1)
def _shuttle() -> tuple[np.ndarray, np.ndarray]:
    """Parsed once per process: reading the .rda file costs about a second."""
    return load_outlier_set("shuttle")


def make_inputs() -> dict[str, Any]:
    """A fixed Shuttle subset: training normals with labelled anomalies mixed in (to be
    skipped), validation and test with 10% anomalies; plus synthetic scores for the
    false-positive check."""
    try:
        x, y = _shuttle()
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    rng = np.random.default_rng(7)
    normal = rng.permutation(np.nonzero(y == 0)[0])
    odd = rng.permutation(np.nonzero(y == 1)[0])
    cuts = np.cumsum([plan.TRAIN_NORMAL, plan.VAL_NORMAL, plan.TEST_NORMAL])
    ocuts = np.cumsum([plan.TRAIN_ANOMALIES, plan.VAL_ANOMALIES, plan.TEST_ANOMALIES])
    out: dict[str, Any] = {}
    for k, name in enumerate(("train", "val", "test")):
        idx = np.concatenate([normal[(cuts[k - 1] if k else 0):cuts[k]],
                              odd[(ocuts[k - 1] if k else 0):ocuts[k]]])
        idx = rng.permutation(idx)
        out[f"x_{name}"], out[f"y_{name}"] = x[idx], y[idx].astype(np.int64)
    fp = np.random.default_rng(3)
    out["fp_scores"] = fp.gamma(2.0, 0.05, plan.FP_ROWS)
    out["fp_labels"] = (fp.random(plan.FP_ROWS) < 0.3).astype(np.int64)
    out["fp_threshold"] = float(np.quantile(out["fp_scores"], 0.8))
    train_normal = out["x_train"][out["y_train"] == 0]
    sd = train_normal.std(0)
    out["fe_rows"] = ((out["x_val"][:20] - train_normal.mean(0))
                      / np.where(sd > 1e-12, sd, 1.0)).astype(np.float32)
    return out


def auroc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random anomaly outscores a random normal row (ties count 1/2)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def _experiment_ran(ev: Evidence) -> None:
    if ev.has("experiment_error"):
        raise Failed(f"run_experiment raised {ev.text('experiment_error')}")


def _standardise(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    return (x - mean) / np.where(std > 1e-12, std, 1.0)


def trains_on_normal_only(ev: Evidence) -> str:
    x, y = ev.inputs["x_train"], ev.inputs["y_train"]
    seen = ev.array("seen", ndim=2)
    if len(seen) == 0:
        raise Failed("no batch of training rows reached a module in training mode: does "
                     "fit_detector train the model (model.train(), forward, backward)?")
    mean, std = ev.array("mean"), ev.array("std")
    if mean.shape != (x.shape[1],) or std.shape != (x.shape[1],):
        normal = x[y == 0]
        mean, std = normal.mean(0), normal.std(0)
    ref = _standardise(x, mean, std)  # (N, F) in the learner's scale
    nearest = np.array([int(((ref - row) ** 2).sum(1).argmin()) for row in seen])
    anomalous = int((y[nearest] == 1).sum())
    n_normal = int((y == 0).sum())
    if anomalous:
        raise Failed(f"{anomalous} of the {len(seen)} rows your autoencoder trained on in one "
                     f"epoch are labelled anomalies (y_train == 1): train on the normal rows "
                     "only, or the model learns to reconstruct anomalies too and their "
                     "error shrinks")
    if len(seen) != n_normal:
        raise Failed(f"one epoch fed {len(seen)} rows to the model, but the training split "
                     f"has {n_normal} normal rows: each normal row should be seen once per "
                     "epoch")
    return f"one epoch trained on all {n_normal} normal rows and on none of the " \
           f"{int((y == 1).sum())} labelled anomalies"


def scaler_training_only(ev: Evidence) -> str:
    i = ev.inputs
    f = i["x_train"].shape[1]
    mean, std = ev.array("mean"), ev.array("std")
    if mean.shape != (f,) or std.shape != (f,):
        raise Failed(f"detector.scaler should hold mean and std of shape ({f},), one per "
                     f"feature; got {mean.shape} and {std.shape}")
    normal = i["x_train"][i["y_train"] == 0]

    def same(rows: np.ndarray) -> bool:
        scale = np.abs(rows.mean(0)) + rows.std(0) + 1e-9
        return bool((np.abs(mean - rows.mean(0)) / scale).max() < 1e-4)

    if same(normal):
        sd_ok = np.isclose(std, normal.std(0), rtol=1e-3) | (normal.std(0) < 1e-12)
        if not sd_ok.all():
            raise Failed("the scaler's mean comes from the normal training rows but its "
                         "standard deviation does not; compute both from the same rows")
        return f"mean and std equal those of the {len(normal)} normal training rows"
    everything = np.concatenate([i["x_train"], i["x_val"], i["x_test"]])
    val_normal = i["x_val"][i["y_val"] == 0]
    named = {"all rows of every split (train, validation and test)": everything,
             "the training rows including the labelled anomalies": i["x_train"],
             "the test rows": i["x_test"], "the validation rows": i["x_val"],
             "the training and test rows": np.concatenate([i["x_train"], i["x_test"]]),
             "the training and validation rows": np.concatenate([i["x_train"], i["x_val"]]),
             "the normal rows of the training and validation splits":
                 np.concatenate([normal, val_normal]),
             "the normal rows of every split": np.concatenate(
                 [normal, val_normal, i["x_test"][i["y_test"] == 0]])}
    for words, rows in named.items():
        if same(rows):
            raise Failed(f"your scaler's statistics come from {words}: fit it on the normal "
                         "training rows only, so no information from anomalies or from the "
                         "held-out splits leaks into the model")
    raise Failed("the scaler's mean is not the mean of the normal training rows (largest "
                 f"gap {np.abs(mean - normal.mean(0)).max():.3g}): fit it on those rows only")


def separation(ev: Evidence) -> str:
    y = ev.inputs["y_test"]
    scores = ev.array("test_scores")
    if scores.shape != y.shape:
        hint = ""
        if scores.shape == (ev.inputs["x_test"].shape[1],):
            hint = (": one value per feature, so the error was averaged over the batch "
                    "(dim=0); average over the features (dim=1) to get one score per row")
        elif scores.ndim == 0:
            hint = ": a single number, so the error was averaged over everything"
        raise Failed(f"test_scores has shape {scores.shape}, expected {y.shape}, one "
                     f"score per test row{hint}")
    _experiment_ran(ev)
    if not np.isfinite(scores).all():
        raise Failed("some scores are NaN or infinite: check the scaler for features with "
                     "zero standard deviation")
    value = auroc(scores, y)
    if scores.max() <= 0 and 1.0 - value >= plan.MIN_AUROC:
        raise Failed(f"your scores are negated: every score is at most 0 and anomalies score "
                     f"lower than normal rows (AUROC {value:.3f}, {1 - value:.3f} for the "
                     "negated scores). Return the reconstruction error itself, so that a "
                     "higher score means more anomalous")
    if scores.min() < 0:
        raise Failed(f"some reconstruction errors are negative (min {scores.min():.3g}) and "
                     f"AUROC is {value:.3f}: a signed error lets positive and negative "
                     "differences cancel; square them (or take absolute values) before "
                     "averaging")
    if value < plan.MIN_AUROC:
        raise Failed(f"on the fixed Shuttle subset the test AUROC of your scores is "
                     f"{value:.3f}, below {plan.MIN_AUROC}: anomalies should reconstruct "
                     "worse than normal rows (check the bottleneck size and the training)")
    return f"test AUROC {value:.3f} on {len(y)} Shuttle rows ({int(y.sum())} anomalies)"


def eval_mode(ev: Evidence) -> str:
    first, second = (np.asarray(v, dtype=np.float64) for v in ev.items("repeat"))
    if first.shape != second.shape:
        raise Failed("scoring the same rows twice gave results of different shapes")
    gap = float(np.abs(first - second).max()) if first.size else 0.0
    if gap > 1e-9:
        raise Failed(f"scoring the same 64 rows twice gave scores up to {gap:.3g} apart: the "
                     "model is still in training mode (dropout on) when scoring; call "
                     "model.eval() before computing reconstruction errors")
    return "the same rows get the same scores twice (evaluation mode)"


def scoring_consistent(ev: Evidence) -> str:
    """Each row's score comes from the training scaler and the model alone: the scaler
    transforms with its stored statistics, and a row scores the same alone or among
    others, and the same as ``reconstruction_error`` on the transformed row."""
    _experiment_ran(ev)
    x = ev.inputs["x_test"][:64].astype(np.float64)
    mean, std = ev.array("mean"), ev.array("std")
    if ev.has("transformed") and mean.shape == std.shape == (x.shape[1],):
        got = ev.array("transformed", shape=x.shape)
        usable = std > 1e-12  # a zero std is replaced in whatever way the learner chose
        want = (x - mean) / np.where(usable, std, 1.0)
        gap = np.abs(got - want)[:, usable]
        if gap.size and not np.allclose(got[:, usable], want[:, usable], rtol=1e-3,
                                        atol=1e-3):
            raise Failed(f"scaler.transform does not use the scaler's stored mean and std "
                         f"(up to {gap.max():.3g} off on the first 64 test rows): it must "
                         "standardise every split with the training statistics, never refit "
                         "them on the rows it is given")
    alone = np.asarray(ev.items("repeat")[0], dtype=np.float64)
    among = ev.array("scored_with_all")
    if alone.shape == among.shape and not np.allclose(alone, among, rtol=1e-4, atol=1e-7):
        raise Failed(f"the first 64 test rows score differently alone than among all test "
                     f"rows (up to {np.abs(alone - among).max():.3g} apart): a row's score "
                     "must not depend on the rows scored with it. Standardise with the "
                     "training scaler (not statistics of the rows being scored) and score in "
                     "evaluation mode")
    if ev.has("error_of_transformed"):
        direct = ev.array("error_of_transformed")
        if direct.shape == alone.shape and np.allclose(alone, -direct, rtol=1e-4, atol=1e-7) \
                and np.abs(direct).max() > 0:
            raise Failed("detector.score(x) is the negative of the reconstruction error: a "
                         "higher score must mean a more anomalous row")
        if direct.shape == alone.shape and not np.allclose(alone, direct, rtol=1e-4,
                                                           atol=1e-7):
            raise Failed("detector.score(x) differs from reconstruction_error(model, "
                         f"scaler.transform(x)) by up to {np.abs(alone - direct).max():.3g}: "
                         "score the rows standardised exactly once, with the training scaler")
    return "scores come from the training scaler and the model, whatever rows are scored"


def threshold_on_validation(ev: Evidence) -> str:
    _experiment_ran(ev)
    threshold = ev.number("threshold")
    shuffled = ev.number("threshold_test_shuffled")
    if not np.isfinite(threshold):
        raise Failed(f"the threshold is {threshold}")
    if abs(threshold - shuffled) > 1e-9 * max(1.0, abs(threshold)):
        raise Failed(f"your threshold changed from {threshold:.4g} to {shuffled:.4g} when only "
                     "the test split changed (its labels shuffled, a quarter of its rows "
                     "dropped): it was tuned on the test split, its labels or its scores. "
                     "Choose it on the validation split, so the test numbers stay an honest "
                     "estimate")
    val = ev.array("val_scores")
    y_val = ev.inputs["y_val"]
    if val.shape == y_val.shape:
        fpr = float((val[y_val == 0] > threshold).mean())
        return f"threshold {threshold:.4g} ignores the test labels; validation FPR {fpr:.3f}"
    return f"threshold {threshold:.4g} ignores the test labels"


def flags_direction(ev: Evidence) -> str:
    _experiment_ran(ev)
    if ev.has("flags_error"):
        raise Failed(f"flag_anomalies raised {ev.text('flags_error')}")
    scores, threshold = ev.array("test_scores"), ev.number("threshold")
    flags = ev.array("flags", dtype=np.int64)
    if flags.shape != scores.shape:
        raise Failed(f"flag_anomalies returned shape {flags.shape}, expected {scores.shape}")
    expected = scores > threshold
    if np.array_equal(flags.astype(bool), expected):
        return f"{int(expected.sum())} test rows flagged, exactly those above the threshold"
    if np.array_equal(flags.astype(bool), scores < threshold):
        raise Failed("flag_anomalies flags rows whose error is below the threshold: a low "
                     "reconstruction error means the row looks normal; flag scores above it")
    raise Failed(f"flag_anomalies disagrees with 'score > threshold' on "
                 f"{int((flags.astype(bool) != expected).sum())} of {len(flags)} rows")


def false_positives_listed(ev: Evidence) -> str:
    i = ev.inputs
    scores, labels, threshold = i["fp_scores"], i["fp_labels"], float(i["fp_threshold"])
    listed = [int(v) for v in ev.items("listed")]
    wrong = np.nonzero((scores > threshold) & (labels == 0))[0]
    expected = [int(v) for v in wrong[np.argsort(-scores[wrong], kind="stable")][: plan.FP_K]]
    if listed == expected:
        return f"the {len(expected)} highest-scoring normal rows above the threshold, in order"
    if len(listed) > plan.FP_K:
        raise Failed(f"top_false_positives(..., k={plan.FP_K}) returned {len(listed)} indices: "
                     f"return at most k, the k highest-scoring false positives")
    bad = [v for v in listed if not 0 <= v < len(scores)]
    if bad:
        raise Failed(f"top_false_positives returned indices outside the {len(scores)} rows: "
                     f"{bad[:3]}")
    anomalies = [v for v in listed if labels[v] == 1]
    if anomalies:
        raise Failed(f"{len(anomalies)} of the {len(listed)} rows you list as false positives "
                     "are real anomalies (true positives): a false positive is a normal row "
                     "(label 0) that was flagged")
    below = [v for v in listed if scores[v] <= threshold]
    if below:
        raise Failed(f"{len(below)} listed rows score below the threshold, so they were not "
                     "flagged at all: false positives are normal rows above it")
    raise Failed(f"expected the {len(expected)} highest-scoring false positives, highest "
                 f"first ({expected[:3]}...), got {listed[:3]}...")


def features_driving(ev: Evidence) -> str:
    rows = ev.inputs["fe_rows"]
    errors = ev.array("feature_errors")
    scores = ev.array("scores")
    if errors.shape != rows.shape:
        raise Failed(f"feature_errors returned shape {errors.shape}, expected {rows.shape}: one "
                     "error per row and feature")
    if errors.min() < 0:
        raise Failed("feature_errors has negative entries: square each feature's difference")
    if scores.shape == (len(rows),) and not np.allclose(errors.mean(1), scores, rtol=1e-4,
                                                        atol=1e-7):
        raise Failed("the per-feature errors do not average to the row's score: the features "
                     "you blame are not the ones that produced the error")
    return "per-feature errors (20, F) average to each row's score"


def reproducible(ev: Evidence) -> str:
    runs = ev.items("runs")
    if len(runs) != 2:
        raise Failed("expected two runs")
    a, b = (np.asarray(r.get("scores"), dtype=np.float64) for r in runs)
    gap = float(np.abs(a - b).max()) if a.shape == b.shape and a.size else float("inf")
    if gap > 1e-6:
        raise Failed(f"two runs of fit_detector with seed {plan.REPRO_SEED} gave scores up to "
                     f"{gap:.3g} apart: something draws from an unseeded generator (the "
                     "shuffle, the initial weights); seed it from config.seed")
    return f"two runs with seed {plan.REPRO_SEED} gave identical scores"


def _report(ev: Evidence) -> tuple[str, dict[str, Any]]:
    for folder in ("", "runs/p7-anomaly/"):
        report, numbers = ev.read_text(folder + "report.md"), ev.read_text(folder + "results.json")
        if report is not None and numbers is not None:
            try:
                data = json.loads(numbers)
            except ValueError as exc:
                raise Failed(f"{folder}results.json is not valid JSON ({exc})") from None
            if not isinstance(data, dict):
                raise Failed(f"{folder}results.json should hold one JSON object")
            return report, data
    raise Failed("report.md and results.json are missing: write the report and the numbers it "
                 "is written from into your project folder (run_anomaly_detector --out . "
                 "shows the format)")


def _number(data: dict[str, Any], key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Failed(f"results.json has no number {key!r}")
    return float(value)


def threshold_justified(ev: Evidence) -> str:
    report, data = _report(ev)
    threshold = _number(data, "threshold")
    text = report.lower()
    if "validation" not in text:
        raise Failed("report.md does not say which split chose the threshold: state that "
                     "validation did, and why not the test split")
    if not re.search(r"false[- ]positive rate|\bfpr\b|\bf1\b", text):
        raise Failed("report.md does not state the target the threshold was chosen for (a "
                     "false-positive rate, or the F1 optimum)")
    numbers = [float(v) for v in re.findall(r"\d+\.\d+(?:e-?\d+)?", text)]
    if not any(abs(v - threshold) <= 0.01 * abs(threshold) + 1e-4 for v in numbers):
        raise Failed(f"report.md does not quote the threshold from results.json "
                     f"({threshold:.4g})")
    return f"threshold {threshold:.4g}, its target and the validation split are stated"


def results_documented(ev: Evidence) -> str:
    report, data = _report(ev)
    values = {k: _number(data, k) for k in ("precision", "recall", "auroc", "auprc")}
    out_of_range = [k for k, v in values.items() if not 0 <= v <= 1]
    if out_of_range:
        raise Failed(f"results.json: {', '.join(out_of_range)} must lie between 0 and 1")
    if not isinstance(data.get("anomalies_detected"), int):
        raise Failed("results.json has no integer anomalies_detected")
    text = report.lower()
    squeezed = text.replace(" ", "").replace("-", "")
    missing = [k for k in ("auroc", "auprc", "precision", "recall") if k not in squeezed]
    if not any(b in squeezed for b in ("isolationforest", "localoutlierfactor", "lof", "pca",
                                       "baseline")):
        missing.append("a baseline (IsolationForest, LOF or PCA on the same split)")
    if missing:
        raise Failed(f"report.md does not mention {', '.join(missing)}: report the test "
                     "metrics and the baseline next to them")
    return "report.md and results.json give precision, recall, AUROC, AUPRC and a baseline"
