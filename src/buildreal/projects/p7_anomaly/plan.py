"""Sizes and thresholds of Project 7's checks, shared by probes and judges."""

from __future__ import annotations

TRAIN_NORMAL = 1500  # normal training rows (Shuttle, fixed subset)
TRAIN_ANOMALIES = 100  # labelled anomalies mixed into the training split: to be skipped
VAL_NORMAL, VAL_ANOMALIES = 540, 60
TEST_NORMAL, TEST_ANOMALIES = 540, 60
EPOCHS = 15  # the experiment probe's short training
MIN_AUROC = 0.95  # the reference reaches about 0.99 on this subset
REPRO_SEED = 5
FP_ROWS, FP_K = 200, 10
