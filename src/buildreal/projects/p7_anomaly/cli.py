"""``run_anomaly_detector``: train the reference autoencoder on normal rows, choose the
threshold on validation, and report the test split.

Prints ``threshold:`` and ``anomalies_detected:`` as in the course notes, then precision,
recall, AUROC and AUPRC; writes the score distributions, ROC and PR curves, the ten
highest-scoring false positives with their driving features, and a report to --out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score

from buildreal.projects.data import OUTLIER_SETS, DataUnavailable, load_outlier_set
from buildreal.projects.p7_anomaly import artifacts
from buildreal.projects.p7_anomaly.reference.anomaly import (
    TrainConfig,
    feature_errors,
    flag_anomalies,
    run_experiment,
    top_false_positives,
)
from buildreal.projects.p7_anomaly.splits import make_splits


def build_parser() -> argparse.ArgumentParser:
    d = TrainConfig()
    p = argparse.ArgumentParser(prog="run_anomaly_detector", description=__doc__.split("\n\n")[0])
    p.add_argument("--dataset", choices=OUTLIER_SETS, default="shuttle")
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--latent", type=int, default=d.latent)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--target-fpr", type=float, default=d.target_fpr,
                   help="false-positive rate the threshold allows on validation normals")
    p.add_argument("--max-rows", type=int, default=0, help="subsample (0: every row)")
    p.add_argument("--out", type=Path, default=Path("runs/p7-anomaly"))
    p.add_argument("--threads", type=int, default=2)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        x, y = load_outlier_set(args.dataset)
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.max_rows and len(x) > args.max_rows:
        keep = np.sort(np.random.default_rng(args.seed).permutation(len(x))[: args.max_rows])
        x, y = x[keep], y[keep]
    splits = make_splits(x, y, seed=args.seed)
    config = dataclasses.replace(TrainConfig(), epochs=args.epochs, latent=args.latent,
                                 seed=args.seed, target_fpr=args.target_fpr)
    exp = run_experiment(splits, config)
    y_test, scores = splits["y_test"], exp.test_scores
    flags = flag_anomalies(scores, exp.threshold)
    tp = int((flags & (y_test == 1)).sum())
    precision = tp / max(int(flags.sum()), 1)
    recall = tp / max(int(y_test.sum()), 1)
    auroc, auprc = roc_auc_score(y_test, scores), average_precision_score(y_test, scores)
    forest = IsolationForest(random_state=args.seed).fit(splits["x_train"])
    forest_scores = -forest.score_samples(splits["x_test"])
    f_auroc = roc_auc_score(y_test, forest_scores)
    f_auprc = average_precision_score(y_test, forest_scores)
    val_fpr = float((exp.val_scores[splits["y_val"] == 0] > exp.threshold).mean())

    print(f"threshold: {exp.threshold:.4g}")
    print(f"anomalies_detected: {int(flags.sum())}")
    print(f"precision: {precision:.3f} recall: {recall:.3f}")
    print(f"auroc: {auroc:.4f} auprc: {auprc:.4f} (IsolationForest {f_auroc:.4f} / "
          f"{f_auprc:.4f})")

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    artifacts.plot_scores(scores, y_test, exp.threshold, out / "scores.png")
    artifacts.plot_curves({"autoencoder": scores, "IsolationForest": forest_scores}, y_test,
                          out / "roc_pr.png")
    fps = top_false_positives(scores, y_test, exp.threshold, k=10)
    xs = torch.from_numpy(exp.detector.scaler.transform(splits["x_test"]))
    errors = feature_errors(exp.detector.model, xs).numpy()  # (N_test, F)
    names = [f"V{j + 1}" for j in range(x.shape[1])]
    table = artifacts.false_positive_table(fps, scores, errors, splits["x_test"], names)
    (out / "false_positives.md").write_text(table)
    results = {"dataset": args.dataset, "seed": args.seed, "epochs": args.epochs,
               "target_fpr": args.target_fpr, "threshold": exp.threshold,
               "validation_fpr": val_fpr, "anomalies_detected": int(flags.sum()),
               "true_anomalies": int(y_test.sum()), "test_rows": len(y_test),
               "precision": precision, "recall": recall, "auroc": auroc, "auprc": auprc,
               "isolation_forest": {"auroc": f_auroc, "auprc": f_auprc},
               "false_positives": fps}
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    report = [
        f"# Anomaly detector on {args.dataset}", "",
        f"Trained on {len(splits['x_train'])} normal rows; validation {len(splits['y_val'])} "
        f"rows; test {len(y_test)} rows ({int(y_test.sum())} anomalies).", "",
        "## Threshold", "",
        f"Target: a false-positive rate of {args.target_fpr:g} on the validation normals. "
        f"The threshold {exp.threshold:.4g} is the {1 - args.target_fpr:.0%} quantile of their "
        f"scores (validation FPR {val_fpr:.3f}); the test split played no part in it.", "",
        "## Test results", "",
        f"- anomalies detected: {int(flags.sum())}; precision {precision:.3f}, recall "
        f"{recall:.3f}",
        f"- AUROC {auroc:.4f}, AUPRC {auprc:.4f}",
        f"- IsolationForest on the same split: AUROC {f_auroc:.4f}, AUPRC {f_auprc:.4f}", "",
        "Figures: scores.png (distributions and threshold), roc_pr.png (ROC and PR).", "",
        "## The ten highest-scoring false positives", "", table,
    ]
    (out / "report.md").write_text("\n".join(report))
    print(f"report: {out / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
