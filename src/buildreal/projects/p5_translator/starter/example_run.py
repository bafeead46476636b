"""Train your translator for a few minutes on 2,000 verse pairs and translate three
sentences (a smoke test; the checks and the demo use the full corpus)."""

from __future__ import annotations

from translator import (
                     TrainConfig,
                     decode,
                     encode,
                     greedy_decode,
                     pad_batch,
                     train_tokenizer,
                     train_translator,
)

from buildreal.projects.p5_translator.corpus import load_pairs

train = load_pairs("en-es")["train"].head(2000)  # verses from the training books only
tok = train_tokenizer(train.src + train.tgt, 2000)
src, tgt = encode(tok, train.src), encode(tok, train.tgt)
config = TrainConfig(vocab_size=tok.get_vocab_size(), d_model=128, layers=2, d_ff=256,
                     epochs=5)
model, history = train_translator(config, src, tgt)
print("loss every 50 steps:", [round(v, 2) for v in history["loss"][::50]])
tests = ["And God said, let there be light.", "the world", "The king went to the city."]
print(decode(tok, greedy_decode(model, pad_batch(encode(tok, tests)))))
