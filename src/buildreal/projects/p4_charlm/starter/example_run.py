"""A tiny end-to-end run of your package: 200 steps on a slice of the works, then a sample.

    python example_run.py
"""

from __future__ import annotations

import math

import torch
from charlm import CharLM, TrainConfig, sample, train_tbptt

from buildreal.projects.p4_charlm.corpus import load_corpus

torch.set_num_threads(1)  # for a model this small, one thread beats two on a 2-core CPU
corpus = load_corpus(limit=300_000)
model = CharLM(len(corpus.vocab), hidden_size=128)
history = train_tbptt(model, corpus.train, TrainConfig(steps=200, seq_len=64))
print(f"last training loss {history['loss'][-1]:.3f} nats = "
      f"{history['loss'][-1] / math.log(2):.3f} bits per character")
ids = sample(model, corpus.vocab.encode("Once upon"), 200, temperature=0.8,
             generator=torch.Generator().manual_seed(0))
print("Once upon" + corpus.vocab.decode(ids))
