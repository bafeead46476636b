"""The fixed sizes and settings of Project 5's checks, shared by probes and judges."""

from __future__ import annotations

VOCAB = 40  # token ids of the synthetic checks: 0-3 special, 4..VOCAB-1 ordinary
D_MODEL, HEADS, LAYERS, D_FF, MAX_LEN = 32, 4, 2, 64, 32
B, S, T, PAD_EXTRA = 2, 7, 6, 3  # batch, source and target lengths, padding added
CHANGED_AT = 3  # the target position changed in the causal-mask probe
OVERFIT_N, OVERFIT_EPOCHS = 12, 150  # pairs and epochs (one step each) of the overfit
TOY_SYMBOLS, TOY_TRAIN, TOY_EPOCHS = 6, 640, 5  # the reverse task: 20 steps an epoch
TOY_DROP = 0.6  # each seed's final loss must fall below this share of its first
TOY_GAP = 0.3  # and the two seeds' final losses may differ by at most this share
TOKENIZER_VOCAB, TOKENIZER_TEXTS = 600, 3000
LR_STEPS = tuple(range(0, 1001, 10))  # steps at which lr_at(step, 100, 1e-3) is read
