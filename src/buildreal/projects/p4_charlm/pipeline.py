"""The experiments behind ``run_rnn_generate --train``: the main LSTM, a GRU and a vanilla
RNN at a small equal budget, clipping on and off, and the n-gram baseline."""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
from tqdm import tqdm

from buildreal.projects.p4_charlm.corpus import Corpus, Vocab
from buildreal.projects.p4_charlm.ngram import NgramModel, best_order
from buildreal.projects.p4_charlm.reference.charlm import (
    CharLM,
    TrainConfig,
    evaluate_nats,
    sample,
    train_tbptt,
)

LN2 = math.log(2)


@dataclass(frozen=True)
class ModelConfig:
    cell: str = "lstm"
    hidden_size: int = 256
    embed_size: int = 64
    num_layers: int = 1
    dropout: float = 0.1


@dataclass
class LMRun:
    label: str
    model: CharLM
    model_config: ModelConfig
    history: dict[str, list[float]]
    val_bpc: float
    seconds: float
    curve: list[tuple[int, float]] = field(default_factory=list)  # (step, val bpc on a slice)

    @property
    def perplexity(self) -> float:
        return math.exp(self.val_bpc * LN2)


NO_STEP_LIMIT = 10**9


def budget_config(tc: TrainConfig, seconds: float, cpu: bool = False) -> TrainConfig:
    """``tc`` trained for ``seconds`` of wall-clock time, or of this process's CPU time
    (``cpu``), with no step limit: the clock ends the run and its schedule."""
    return dataclasses.replace(tc, steps=NO_STEP_LIMIT, max_seconds=seconds,
                               clock=time.process_time if cpu else time.perf_counter)


def build(vocab_size: int, mc: ModelConfig, seed: int) -> CharLM:
    torch.manual_seed(seed)
    return CharLM(vocab_size, hidden_size=mc.hidden_size, cell=mc.cell,
                  num_layers=mc.num_layers, embed_size=mc.embed_size, dropout=mc.dropout)


def train_lm(
    label: str, corpus: Corpus, mc: ModelConfig, tc: TrainConfig, *, show: bool = True,
    eval_every: int = 0, eval_chars: int = 50_000,
) -> LMRun:
    """Train one model with a progress bar; ``eval_every`` > 0 records validation bpc on a
    slice of the held-out plays as training goes (the perplexity-decreases evidence)."""
    model = build(len(corpus.vocab), mc, tc.seed)
    val_slice = corpus.val[:eval_chars]
    curve: list[tuple[int, float]] = []
    if eval_every:
        curve.append((0, evaluate_nats(model, val_slice) / LN2))
    bar = tqdm(total=None if tc.steps == NO_STEP_LIMIT else tc.steps, desc=label,
               unit="step", leave=False, file=sys.stderr, disable=not show)

    def on_step(step: int, row: dict[str, float]) -> None:
        bar.update(1)
        if step % 20 == 0:
            bar.set_postfix(loss=f"{row['loss']:.3f}", bpc=f"{row['loss'] / LN2:.2f}")
        if eval_every and (step + 1) % eval_every == 0:
            bpc = evaluate_nats(model, val_slice) / LN2
            curve.append((step + 1, bpc))
            if show:
                tqdm.write(f"{label} step {step + 1}: train bpc {row['loss'] / LN2:.3f}  "
                           f"val bpc {bpc:.3f}  val perplexity {2 ** bpc:.2f}", file=sys.stdout)

    start = time.perf_counter()
    history = train_tbptt(model, corpus.train, tc, on_step=on_step)
    seconds = time.perf_counter() - start
    bar.close()
    val_bpc = evaluate_nats(model, corpus.val) / LN2
    if eval_every and (not curve or curve[-1][0] != len(history["loss"])):
        curve.append((len(history["loss"]), evaluate_nats(model, val_slice) / LN2))
    return LMRun(label, model, mc, history, val_bpc, seconds, curve)


def ngram_baseline(corpus: Corpus, max_order: int = 8) -> dict[int, float]:
    """Validation bits per character of Witten-Bell n-grams of every order up to max."""
    model = NgramModel(corpus.train.numpy(), len(corpus.vocab), max_order=max_order)
    return model.bits_per_char(corpus.val.numpy())


def compare_cells(corpus: Corpus, tc: TrainConfig, hidden: int, show: bool) -> list[LMRun]:
    """LSTM, GRU and vanilla RNN with the same size, data, steps and seed."""
    return [train_lm(f"{cell} (compare)", corpus, ModelConfig(cell=cell, hidden_size=hidden),
                     tc, show=show) for cell in ("lstm", "gru", "rnn")]


def clipping_study(corpus: Corpus, tc: TrainConfig, hidden: int, show: bool) -> dict[str, LMRun]:
    """A vanilla RNN (the cell that explodes most readily) with and without clipping."""
    mc = ModelConfig(cell="rnn", hidden_size=hidden)
    return {
        "clipped": train_lm("rnn clip", corpus, mc, tc, show=show),
        "unclipped": train_lm("rnn no clip", corpus, mc, dataclasses.replace(tc, clip=None),
                              show=show),
    }


def generate(model: CharLM, vocab: Vocab, seed_text: str, length: int, temperature: float,
             top_k: int | None, rng_seed: int) -> str:
    ids = sample(model, vocab.encode(seed_text), length, temperature=temperature, top_k=top_k,
                 generator=torch.Generator().manual_seed(rng_seed))
    return seed_text + vocab.decode(ids)


def save_checkpoint(path: Path, run: LMRun, vocab: Vocab) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": run.model.state_dict(), "vocab": vocab.chars,
                "model_config": dataclasses.asdict(run.model_config),
                "val_bpc": run.val_bpc}, path)


def load_checkpoint(path: Path) -> tuple[CharLM, Vocab]:
    saved = torch.load(path, weights_only=True)
    vocab = Vocab(saved["vocab"])
    model = build(len(vocab), ModelConfig(**saved["model_config"]), seed=0)
    model.load_state_dict(saved["state_dict"])
    model.eval()
    return model, vocab


__all__ = ["ModelConfig", "LMRun", "best_order"]
