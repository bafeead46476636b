"""Train your encoder briefly on 3,000 verse pairs and rank a few held-out verses (a smoke
test: the full evaluation searches every WEB verse)."""

from __future__ import annotations

from encoder import TrainConfig, encode, mean_reciprocal_rank, recall_at_k, train_encoder

from buildreal.projects.data import bibles

split = bibles.by_split(bibles.load_verses())
train, test = split["train"][:3000], split["test"][:200]
config = TrainConfig(buckets=2**15, dim=64, out_dim=64, epochs=2, batch_size=128)
model, tokenizer, history = train_encoder(config, [v.kjv for v in train],
                                          [v.web for v in train])
print("training loss per epoch:", [round(v, 3) for v in history["loss"]])
queries = encode(model, tokenizer, [v.kjv for v in test])  # (200, 64)
docs = encode(model, tokenizer, [v.web for v in test])  # (200, 64)
scores = queries @ docs.T  # (200, 200); the right document of query i is document i
targets = list(range(len(test)))
print(f"recall@1 {recall_at_k(scores, targets, 1):.3f}  "
      f"MRR {mean_reciprocal_rank(scores, targets):.3f} on {len(test)} held-out verses")
