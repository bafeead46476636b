"""The fixed settings of Project 4's checks, shared by probes and judges."""

from __future__ import annotations

HIDDEN = 64
SMALL = {"seq_len": 32, "batch_size": 16, "lr": 3e-3, "clip": 1.0}
TRAIN_CHARS, VAL_CHARS = 60_000, 8_000
PERPLEXITY_STEPS = 150
EVAL_SEQ = 100
CLIP = 0.01  # far below a fresh model's gradient norm, so clipping must act
FIXED_LOGITS = (2.0, 1.0, 0.5, 0.0, -1.0)  # the stand-in model's next-character logits
SAMPLES = 3000
SAMPLE_TEMPERATURES = (0.5, 1.0, 1.5)
SAMPLE_LENGTH = 400
