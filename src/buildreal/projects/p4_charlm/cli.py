"""``run_rnn_generate``: continue a seed text with the character-level language model.

    run_rnn_generate --seed "Once upon"

prints the seed and the generated continuation. It uses the model saved by the last
training run (``--checkpoint``); when there is none it first trains a quick one.
``--train`` runs the whole experiment instead: the main LSTM, the LSTM/GRU/RNN
comparison, clipping on and off, the n-gram baseline, and a report in ``--out``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import torch

from buildreal.projects.data import DataUnavailable
from buildreal.projects.p4_charlm import report
from buildreal.projects.p4_charlm.corpus import load_corpus
from buildreal.projects.p4_charlm.ngram import best_order
from buildreal.projects.p4_charlm.pipeline import (
    ModelConfig,
    clipping_study,
    compare_cells,
    generate,
    load_checkpoint,
    ngram_baseline,
    save_checkpoint,
    train_lm,
)
from buildreal.projects.p4_charlm.reference.charlm import TrainConfig

QUICK_STEPS = 300
CLIP_STUDY = 0.5


def build_parser() -> argparse.ArgumentParser:
    d = TrainConfig()
    p = argparse.ArgumentParser(prog="run_rnn_generate", description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", default="Once upon", help='text to continue (default "Once upon")')
    p.add_argument("--length", type=int, default=200, help="characters to generate")
    p.add_argument("--temperature", type=float, default=0.8)
    p.add_argument("--top-k", type=int, default=0, help="keep the k likeliest (0: all)")
    p.add_argument("--rng-seed", type=int, default=0, help="seed for sampling and training")
    p.add_argument("--out", type=Path, default=Path("runs/p4-charlm"))
    p.add_argument("--checkpoint", type=Path, default=None,
                   help="model to sample from (default OUT/charlm.pt)")
    p.add_argument("--train", action="store_true", help="run the whole experiment and report")
    p.add_argument("--cell", choices=("lstm", "gru", "rnn"), default="lstm")
    p.add_argument("--hidden", type=int, default=ModelConfig().hidden_size)
    p.add_argument("--steps", type=int, default=d.steps, help=f"training steps ({d.steps})")
    p.add_argument("--max-seconds", type=float, default=None, help="stop training after this")
    p.add_argument("--seq-len", type=int, default=d.seq_len)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--clip", type=float, default=d.clip)
    p.add_argument("--compare-steps", type=int, default=300,
                   help="steps of the small LSTM/GRU/RNN and clipping runs (0: skip)")
    p.add_argument("--limit", type=int, default=None, help="use only N training characters")
    p.add_argument("--threads", type=int, default=1,
                   help="torch CPU threads (default 1: for a model this small, a second "
                        "thread costs more in synchronisation than it gains here)")
    p.add_argument("--quiet", action="store_true")
    return p


def _train_config(args: argparse.Namespace, steps: int) -> TrainConfig:
    return TrainConfig(seq_len=args.seq_len, batch_size=args.batch_size, steps=steps,
                       lr=args.lr, clip=args.clip, seed=args.rng_seed,
                       max_seconds=args.max_seconds)


def run_experiment(args: argparse.Namespace) -> int:
    show = not args.quiet
    corpus = load_corpus(args.limit)
    ngram = ngram_baseline(corpus)
    order, ngram_bpc = best_order(ngram)
    print(f"n-gram baseline: best order {order}, validation {ngram_bpc:.3f} bits/char")
    mc = ModelConfig(cell=args.cell, hidden_size=args.hidden)
    main_run = train_lm(args.cell, corpus, mc, _train_config(args, args.steps), show=show,
                        eval_every=max(1, args.steps // 8))
    print(f"{args.cell}: validation {main_run.val_bpc:.3f} bits/char, perplexity "
          f"{main_run.perplexity:.2f} ({len(main_run.history['loss'])} steps, "
          f"{main_run.seconds:.0f} s); {100 * (1 - main_run.val_bpc / ngram_bpc):+.1f}% "
          "bits saved against the n-gram")
    cells = clipping = None
    if args.compare_steps:
        small = dataclasses.replace(_train_config(args, args.compare_steps), seq_len=64,
                                    max_seconds=None)
        cells = compare_cells(corpus, small, hidden=128, show=show)
        for run in cells:
            print(f"compare {run.model_config.cell}: {run.val_bpc:.3f} bits/char")
        # Plain SGD at a high rate over long windows: there a vanilla RNN's gradient
        # explodes now and then, and nothing like Adam's normalisation absorbs it.
        clipping = clipping_study(corpus, dataclasses.replace(
            small, seq_len=128, lr=3.0, clip=CLIP_STUDY, optimizer="sgd"), 128, show)
    samples = {t: generate(main_run.model, corpus.vocab, args.seed, args.length, t,
                           args.top_k or None, args.rng_seed) for t in (0.5, 1.0)}
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    save_checkpoint(args.checkpoint or out / "charlm.pt", main_run, corpus.vocab)
    report.plot_curves(main_run, ngram_bpc, out / "bpc_curve.png")
    if clipping:
        report.plot_grad_norms(clipping, out / "grad_norms.png", CLIP_STUDY)
    (out / "report.md").write_text(report.write_report(
        main_run, ngram, cells, clipping, samples, corpus.val_works, args.compare_steps))
    (out / "results.json").write_text(json.dumps({
        "val_bpc": main_run.val_bpc, "perplexity": main_run.perplexity,
        "train_seconds": main_run.seconds, "steps": len(main_run.history["loss"]),
        "ngram_bpc": ngram, "best_ngram": [order, ngram_bpc], "curve": main_run.curve,
        "compare": {r.model_config.cell: r.val_bpc for r in cells or []},
        "clipping": {k: {"max_grad_norm": max(r.history["grad_norm"]), "val_bpc": r.val_bpc}
                     for k, r in (clipping or {}).items()},
        "samples": {str(t): s for t, s in samples.items()},
    }, indent=2))
    print(f"wrote {out / 'report.md'} and the figures beside it")
    return 0


def run_generate(args: argparse.Namespace) -> int:
    checkpoint = args.checkpoint or args.out / "charlm.pt"
    if not checkpoint.is_file():
        print(f"No trained model at {checkpoint}: training a quick one ({QUICK_STEPS} steps; "
              "`run_rnn_generate --train` trains the full model).", file=sys.stderr)
        corpus = load_corpus(args.limit)
        run = train_lm(args.cell, corpus, ModelConfig(cell=args.cell, hidden_size=args.hidden),
                       _train_config(args, QUICK_STEPS), show=not args.quiet)
        save_checkpoint(checkpoint, run, corpus.vocab)
    model, vocab = load_checkpoint(checkpoint)
    try:
        vocab.encode(args.seed)
    except ValueError as exc:
        print(f"error: the seed cannot be encoded: {exc}", file=sys.stderr)
        return 2
    text = generate(model, vocab, args.seed, args.length, args.temperature,
                    args.top_k or None, args.rng_seed)
    print(f'seed: "{args.seed}"')
    print(f'output: "{text}"')
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    if not args.seed:
        print("error: --seed must hold at least one character", file=sys.stderr)
        return 2
    try:
        return run_experiment(args) if args.train else run_generate(args)
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
