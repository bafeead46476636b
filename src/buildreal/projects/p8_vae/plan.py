"""The fixed sizes and settings of Project 8's checks, shared by probes and judges."""

from __future__ import annotations

LATENT = 8  # latent size of the models the checks train
WIDTH = 16  # first-layer channels: small, so training fits the check's time budget
TRAIN_N, VAL_N = 1024, 128  # images the training probe uses, and the held-out ones
EPOCHS, BATCH, LR = 3, 32, 5e-3
REPRO_N = 192  # images for the two same-seed runs
KL_N, SAMPLES_N, PRIOR_N, INTERP_STEPS = 16, 200, 4000, 9
MAX_KL = 60.0  # held-out KL (nats per image) after training: about 10 at beta 1, 100+ at 0
ELBO_GAIN = 40.0  # nats per image the trained model must gain over its initial weights
