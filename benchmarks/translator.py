"""Project 5 benchmark: the reference Transformer (``p5_translator/reference/translator``)

1. **Toy tasks** (copy and reverse sequences of 5 to 10 symbols from 10): training steps
   and seconds until greedy decoding gets 100% of 200 held-out sequences exactly right,
   against the same model built from ``torch.nn.Transformer`` (pre-LN, same sizes, same
   embeddings, positions, loss, optimizer and batches). The two train in alternating
   chunks in one process, so machine load hits both alike; printed as a ratio.
2. **Translation** on the held-out books (Ruth, Jonah, Mark, Philippians, James): BLEU
   and chrF (sacrebleu, lower case) of the word-by-word dictionary, a GRU encoder-decoder
   with additive attention and the Transformer (greedy and beam 4). The two networks get
   the same training time, again in alternating chunks; chrF on the validation books is
   logged after every chunk. Goal: the Transformer's chrF above the GRU's.

    nice -n 10 .venv/bin/python benchmarks/translator.py --seconds 1080 --save

``--save`` stores the Transformer as the ``small`` model of its direction, where
``run_transformer_translate`` and ``api.load_translator`` find it.
"""

from __future__ import annotations

import argparse
import json
import math
import time
import warnings
from dataclasses import asdict, replace
from pathlib import Path

import torch
from torch import nn

from buildreal.projects.p5_translator import system
from buildreal.projects.p5_translator.api import default_models_dir
from buildreal.projects.p5_translator.baselines import DictionaryTranslator, GRUAttention
from buildreal.projects.p5_translator.corpus import load_pairs
from buildreal.projects.p5_translator.evaluate import score, sentence_chrf
from buildreal.projects.p5_translator.reference.translator import (
    EOS,
    PAD,
    ModelConfig,
    build_model,
    greedy_decode,
    label_smoothed_loss,
    lr_at,
    pad_batch,
    sinusoidal_positions,
    train_tokenizer,
)
from buildreal.projects.p5_translator.reference.translator import decode as decode_ids
from buildreal.projects.p5_translator.reference.translator.train import make_batches


class TorchTransformer(nn.Module):
    """The peer: ``torch.nn.Transformer`` (norm_first, batch_first) wrapped with the same
    embedding, sinusoidal positions and tied output as the reference, and the same
    ``encode``/``decode`` methods, so one greedy decoder serves both."""

    def __init__(self, c: ModelConfig) -> None:
        super().__init__()
        self.config = c
        self.embed = nn.Embedding(c.vocab_size, c.d_model, padding_idx=c.pad_id)
        nn.init.normal_(self.embed.weight, std=c.d_model ** -0.5)
        self.register_buffer("positions", sinusoidal_positions(c.max_len, c.d_model),
                             persistent=False)
        with warnings.catch_warnings():  # "nested tensors unused with norm_first": known
            warnings.simplefilter("ignore")
            self.core = nn.Transformer(c.d_model, c.heads, c.layers, c.layers, c.d_ff,
                                       c.dropout, batch_first=True, norm_first=True)
        self.drop = nn.Dropout(c.dropout)

    def _embed(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(ids) * math.sqrt(self.config.d_model) + self.positions[: ids.size(1)]
        return self.drop(x)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pad = src == PAD  # (B, S), True = ignore (the opposite of the reference's masks)
        return self.core.encoder(self._embed(src), src_key_padding_mask=pad), pad

    def decode(self, tgt_in: torch.Tensor, memory: torch.Tensor, pad: torch.Tensor
               ) -> torch.Tensor:
        t = tgt_in.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t, dtype=torch.bool)
        y = self.core.decoder(self._embed(tgt_in), memory, tgt_mask=causal,
                              tgt_key_padding_mask=tgt_in == PAD,
                              memory_key_padding_mask=pad)
        return y @ self.embed.weight.T

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        memory, pad = self.encode(src)
        return self.decode(tgt_in, memory, pad)


class Stepper:
    """One model's training, advanced a chunk at a time. Its time is this process's CPU
    time (one thread), summed over its chunks: on a machine shared with other jobs the
    wall clock measures the neighbours as much as the model."""

    def __init__(self, name: str, model: nn.Module, src: list[list[int]],
                 tgt: list[list[int]], batch: int, peak: float, warmup: int, seed: int,
                 smoothing: float = 0.1) -> None:
        self.name, self.model, self.src, self.tgt = name, model, src, tgt
        self.batch, self.peak, self.warmup, self.smoothing = batch, peak, warmup, smoothing
        self.gen = torch.Generator().manual_seed(seed)
        self.opt = torch.optim.Adam(model.parameters(), lr=peak, betas=(0.9, 0.98), eps=1e-9)
        self.queue: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = []
        self.steps, self.seconds, self.epochs, self.last_loss = 0, 0.0, 0, float("nan")
        self.wall = 0.0

    def run(self, seconds: float = math.inf, steps: int = 10**9) -> None:
        self.model.train()
        start, wall = time.process_time(), time.perf_counter()
        for _ in range(steps):
            if time.process_time() - start >= seconds:
                break
            if not self.queue:
                self.queue = make_batches(self.src, self.tgt, self.batch, self.gen)
                self.epochs += 1
            s, t_in, t_out = self.queue.pop()
            for group in self.opt.param_groups:
                group["lr"] = lr_at(self.steps, self.warmup, self.peak)
            loss = label_smoothed_loss(self.model(s, t_in), t_out, PAD, self.smoothing)
            self.opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            self.opt.step()
            self.steps += 1
            self.last_loss = loss.item()
        self.seconds += time.process_time() - start
        self.wall += time.perf_counter() - wall
        self.model.eval()


# --- 1. toy tasks --------------------------------------------------------------------

def toy_data(task: str, n: int, gen: torch.Generator) -> tuple[list[list[int]],
                                                              list[list[int]]]:
    src, tgt = [], []
    for _ in range(n):
        length = int(torch.randint(5, 11, (1,), generator=gen))
        seq = (torch.randint(0, 10, (length,), generator=gen) + 4).tolist()  # 4..13
        src.append(seq)
        tgt.append(seq if task == "copy" else seq[::-1])
    return src, tgt


def exact_match(model: nn.Module, src: list[list[int]], tgt: list[list[int]]) -> float:
    out = greedy_decode(model, pad_batch(src), max_len=12)  # type: ignore[arg-type]
    return sum(o == t for o, t in zip(out, tgt, strict=True)) / len(tgt)


def toy_race(task: str, max_steps: int, chunk: int) -> dict[str, object]:
    config = ModelConfig(vocab_size=14, d_model=64, heads=4, layers=2, d_ff=128, dropout=0.0,
                         max_len=16)
    gen = torch.Generator().manual_seed(1)
    train_src, train_tgt = toy_data(task, 20000, gen)
    test_src, test_tgt = toy_data(task, 200, gen)
    torch.manual_seed(0)
    peer = TorchTransformer(config)
    runners = [Stepper("reference", build_model(config, seed=0), train_src, train_tgt, 64,
                       1e-3, 100, 0),
               Stepper("torch.nn.Transformer", peer, train_src, train_tgt, 64, 1e-3, 100, 0)]
    solved: dict[str, tuple[int, float]] = {}
    while len(solved) < 2 and min(r.steps for r in runners) < max_steps:
        for r in runners:
            if r.name in solved:
                continue
            r.run(steps=chunk)
            with torch.no_grad():
                acc = exact_match(r.model, test_src, test_tgt)
            if acc == 1.0:
                solved[r.name] = (r.steps, r.seconds)
    row: dict[str, object] = {"task": task}
    for r in runners:
        steps, seconds = solved.get(r.name, (None, r.seconds))
        row[r.name] = {"steps_to_100": steps, "train_seconds": round(seconds, 1),
                       "params": sum(p.numel() for p in r.model.parameters())}
    if len(solved) == 2:
        row["seconds_ratio"] = round(solved["reference"][1] / solved["torch.nn.Transformer"][1],
                                     2)
    return row


# --- 2. translation ------------------------------------------------------------------

def translate_with(model: nn.Module, tok, texts: list[str], beam: int = 1) -> list[str]:
    if isinstance(model, GRUAttention):
        ids: list[list[int]] = []
        for start in range(0, len(texts), 64):
            rows = [e.ids[:126] or [EOS] for e in tok.encode_batch(texts[start:start + 64])]
            ids.extend(model.greedy(pad_batch(rows)))
        return decode_ids(tok, ids)
    translator = system.Translator(model, tok, "")  # type: ignore[arg-type]
    return translator.translate(texts, beam=beam)


def translation(direction: str, seconds: float, chunk: float, gru_hidden: int,
                save: bool, test_limit: int | None = None) -> dict[str, object]:
    splits = load_pairs(direction)
    train, valid, test = splits["train"], splits["valid"], splits["test"]
    if test_limit is not None:  # a smoke run of the whole script
        valid, test = valid.head(test_limit), test.head(test_limit)
    base = system.PRESETS["small"].train
    tok = train_tokenizer(train.src + train.tgt, base.vocab_size)
    config = replace(base, vocab_size=tok.get_vocab_size(), max_seconds=seconds)
    src, tgt = system.encode_pairs(tok, train, config.max_len)
    transformer = build_model(config.model_config(), seed=0)
    torch.manual_seed(0)
    gru = GRUAttention(config.vocab_size, d_emb=config.d_model, hidden=gru_hidden,
                       dropout=config.dropout)
    runners = [Stepper("transformer", transformer, src, tgt, config.batch_size, config.lr,
                       config.warmup_steps, 0),
               Stepper("gru_attention", gru, src, tgt, config.batch_size, config.lr,
                       config.warmup_steps, 0)]
    curve: list[dict[str, object]] = []
    while min(r.seconds for r in runners) < seconds:
        for r in runners:
            r.run(seconds=min(chunk, seconds - r.seconds))
            hyps = translate_with(r.model, tok, valid.src)
            curve.append({"model": r.name, "cpu_seconds": round(r.seconds),
                          "wall_seconds": round(r.wall), "steps": r.steps,
                          "loss": round(r.last_loss, 3),
                          "valid_chrf": score(hyps, valid.tgt).chrf})
            print(json.dumps(curve[-1]), flush=True)
    systems = {
        "dictionary word by word": DictionaryTranslator(direction).translate(test.src),
        "GRU + additive attention (greedy)": translate_with(gru, tok, test.src),
        "Transformer (greedy)": translate_with(transformer, tok, test.src),
        "Transformer (beam 4)": translate_with(transformer, tok, test.src, beam=4),
    }
    results = {name: asdict(score(h, test.tgt)) for name, h in systems.items()}
    best = systems["Transformer (beam 4)"]
    ranked = sorted(range(len(test)), key=lambda i: sentence_chrf(best[i], test.tgt[i]))
    picks = ranked[-6:][::-1] + ranked[:4]
    examples = [{"source": test.src[i], "reference": test.tgt[i], "transformer": best[i],
                 "gru": systems["GRU + additive attention (greedy)"][i],
                 "chrf": round(sentence_chrf(best[i], test.tgt[i]), 1)} for i in picks]
    if save:
        info = {"direction": direction, "preset": "small", "pairs": len(src),
                "seconds": round(runners[0].seconds, 1), "steps": runners[0].steps,
                "final_loss": runners[0].last_loss, "config": asdict(config),
                "trained_by": "benchmarks/translator.py"}
        folder = system.model_dir(default_models_dir(), direction, "small")
        system.save(system.Translator(transformer, tok, direction, info), folder)
        print(f"saved the Transformer to {folder}")
    demo = ["hello world", "the world", "God is love.", "Where is the water?"] \
        if direction == "en-es" else ["hola mundo", "Dios es amor.", "¿Dónde está el agua?"]
    return {"direction": direction, "cpu_seconds_each": seconds,
            "wall_seconds": {r.name: round(r.wall) for r in runners},
            "params": {r.name: sum(p.numel() for p in r.model.parameters()) for r in runners},
            "steps": {r.name: r.steps for r in runners},
            "epochs": {r.name: r.epochs for r in runners},
            "test": results, "curve": curve, "examples": examples,
            "demo": dict(zip(demo, translate_with(transformer, tok, demo, beam=4),
                             strict=True))}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--direction", default="en-es", choices=("en-es", "es-en"))
    p.add_argument("--seconds", type=float, default=1080.0,
                   help="training CPU seconds per network")
    p.add_argument("--chunk", type=float, default=60.0, help="CPU seconds per alternation")
    p.add_argument("--gru-hidden", type=int, default=320)
    p.add_argument("--toy-steps", type=int, default=3000, help="give up on a toy task after")
    p.add_argument("--skip-toy", action="store_true")
    p.add_argument("--skip-translation", action="store_true")
    p.add_argument("--save", action="store_true", help="keep the Transformer for the demo")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--test-limit", type=int, default=None,
                   help="score only this many held-out pairs (smoke runs)")
    p.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    out: dict[str, object] = {}
    if not args.skip_toy:
        out["toy"] = [toy_race(task, args.toy_steps, 50) for task in ("copy", "reverse")]
        for row in out["toy"]:  # type: ignore[union-attr]
            print(json.dumps(row), flush=True)
    if not args.skip_translation:
        out["translation"] = translation(args.direction, args.seconds, args.chunk,
                                         args.gru_hidden, args.save, args.test_limit)
        print(json.dumps(out["translation"]["test"], indent=1))  # type: ignore[index]
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
