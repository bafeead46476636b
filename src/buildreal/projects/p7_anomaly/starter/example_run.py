"""Train your detector on Shuttle and print what the demo prints (after the TODOs)."""

from __future__ import annotations

import numpy as np
from anomaly import TrainConfig, flag_anomalies, run_experiment

from buildreal.projects.data import load_outlier_set
from buildreal.projects.p7_anomaly.splits import make_splits

x, y = load_outlier_set("shuttle")
splits = make_splits(x, y, seed=0)
exp = run_experiment(splits, TrainConfig(epochs=10))
flags = flag_anomalies(exp.test_scores, exp.threshold)
tp = int((flags & (splits["y_test"] == 1)).sum())
print(f"threshold: {exp.threshold:.4g}")
print(f"anomalies_detected: {int(flags.sum())}")
print(f"precision: {tp / max(int(flags.sum()), 1):.3f} "
      f"recall: {tp / max(int(np.sum(splits['y_test'])), 1):.3f}")
