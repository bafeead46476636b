"""``run_cnn_train``: train the reference CNN on Fashion-MNIST and write the artifacts.

Prints one line per epoch (``epoch: 3 train_acc: 0.91 val_acc: 0.90``) under a progress
bar, then writes curves, the confusion matrix, the most confidently wrong test images and
a report (hardest class pairs, augmentation study, MNIST-1D next to the paper) to --out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import torch

from buildreal.projects.data import FASHION_CLASSES, DataUnavailable
from buildreal.projects.p3_cnn import artifacts
from buildreal.projects.p3_cnn.data import fashion_split, mnist1d_split
from buildreal.projects.p3_cnn.pipeline import (
    MNIST1D_PAPER,
    STUDY_EPOCHS,
    STUDY_SIZE,
    augmentation_study,
    gap,
    train_with_progress,
)
from buildreal.projects.p3_cnn.reference.cnn import TrainConfig
from buildreal.projects.p3_cnn.report import write_report

# MNIST-1D trains on 3,500 signals of length 40: many short epochs, no flips.
MNIST1D_CONFIG = TrainConfig(epochs=40, batch_size=100, lr=5e-3, patience=10, flip=False,
                             max_shift=3, width=32)


def build_parser() -> argparse.ArgumentParser:
    d = TrainConfig()
    p = argparse.ArgumentParser(prog="run_cnn_train", description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=d.epochs, help=f"most epochs (default {d.epochs})")
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr", type=float, default=d.lr, help="peak one-cycle learning rate")
    p.add_argument("--width", type=int, default=d.width, help="channels of the first layer")
    p.add_argument("--patience", type=int, default=d.patience, help="early-stopping patience")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--no-augment", action="store_true", help="train without augmentation")
    p.add_argument("--flip", action="store_true",
                   help="add random left-right flips to the random shifts")
    p.add_argument("--limit", type=int, default=None,
                   help="use only the first N training images (quick runs)")
    p.add_argument("--test-limit", type=int, default=None,
                   help="score only the first N test images (quick runs)")
    p.add_argument("--study-size", type=int, default=STUDY_SIZE,
                   help=f"training images for the with/without augmentation study "
                        f"(default {STUDY_SIZE})")
    p.add_argument("--study-epochs", type=int, default=STUDY_EPOCHS,
                   help=f"epochs of each study run (default {STUDY_EPOCHS})")
    p.add_argument("--skip-study", action="store_true", help="no augmentation study")
    p.add_argument("--skip-mnist1d", action="store_true", help="no MNIST-1D run")
    p.add_argument("--mnist1d-epochs", type=int, default=MNIST1D_CONFIG.epochs)
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    p.add_argument("--out", type=Path, default=Path("runs/p3-cnn"), help="artifact folder")
    p.add_argument("--quiet", action="store_true", help="no progress bars or epoch lines")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    show = not args.quiet
    config = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                         width=args.width, patience=args.patience, seed=args.seed,
                         augment=not args.no_augment, flip=args.flip)
    try:
        split = fashion_split(limit=args.limit, seed=args.seed)
        if args.test_limit is not None:
            split = dataclasses.replace(split, x_test=split.x_test[: args.test_limit],
                                        y_test=split.y_test[: args.test_limit])
    except DataUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    main_run = train_with_progress("Fashion-MNIST", split, config, show)
    print(f"test_acc: {main_run.test_acc:.4f}  ({main_run.seconds:.0f} s of training)")

    study = None
    study_size = min(args.study_size, len(split.x_train))
    if not args.skip_study:
        if show:
            print(f"\nAugmentation study on {study_size} training images:")
        small = dataclasses.replace(split, x_train=split.x_train[:study_size],
                                    y_train=split.y_train[:study_size])
        study = augmentation_study(small, dataclasses.replace(
            config, epochs=args.study_epochs, patience=args.study_epochs), show)
        for name, outcome in study.items():
            tr, va, g = gap(outcome)
            print(f"{name} augmentation: train_acc {tr:.3f} val_acc {va:.3f} gap {g:+.3f}")

    mnist1d = None
    if not args.skip_mnist1d:
        if show:
            print("\nMNIST-1D:")
        mnist1d = train_with_progress("MNIST-1D", mnist1d_split(seed=args.seed),
                                      dataclasses.replace(MNIST1D_CONFIG, seed=args.seed,
                                                          epochs=args.mnist1d_epochs), show)
        print(f"MNIST-1D test_acc: {mnist1d.test_acc:.3f} (paper: CNN "
              f"{MNIST1D_PAPER['CNN']:.2f}, GRU {MNIST1D_PAPER['GRU']:.2f}, MLP "
              f"{MNIST1D_PAPER['MLP']:.2f}, logistic regression "
              f"{MNIST1D_PAPER['logistic regression']:.2f})")

    k = len(FASHION_CLASSES)
    cm = artifacts.confusion_matrix(split.y_test, main_run.test_probs.argmax(1), k)
    pairs = artifacts.hardest_pairs(cm, FASHION_CLASSES)
    mistakes = artifacts.most_confident_mistakes(main_run.test_probs, split.y_test)
    histories = {"augmented" if config.augment else "plain": main_run.result.history}
    artifacts.plot_curves(histories, out / "curves.png")
    if study:
        artifacts.plot_curves({f"{n} aug.": o.result.history for n, o in study.items()},
                              out / "augmentation_curves.png")
    artifacts.plot_confusion(cm, FASHION_CLASSES, out / "confusion_matrix.png")
    artifacts.plot_mistakes(split.x_test, mistakes, FASHION_CLASSES, out / "confident_mistakes.png")
    (out / "report.md").write_text(
        write_report(main_run, pairs, mistakes, FASHION_CLASSES, study, study_size, mnist1d,
                     "random shifts and flips" if config.flip else "random shifts"))
    numbers = {
        "test_acc": main_run.test_acc, "train_seconds": main_run.seconds,
        "history": main_run.result.history, "best_epoch": main_run.result.best_epoch,
        "confusion_matrix": cm.tolist(),
        "hardest_pairs": [list(p) for p in pairs],
        "confident_mistakes": [list(m) for m in mistakes],
        "augmentation_study": {n: dict(zip(("train_acc", "val_acc", "gap"), gap(o),
                                           strict=True), test_acc=o.test_acc)
                               for n, o in (study or {}).items()},
        "mnist1d": {"test_acc": mnist1d.test_acc, "paper": MNIST1D_PAPER} if mnist1d else None,
        "config": dataclasses.asdict(config),
    }
    (out / "results.json").write_text(json.dumps(numbers, indent=2))
    if pairs:
        a, b, n, _ = pairs[0]
        print(f"hardest pair: {a} / {b} ({n} test errors)")
    print(f"wrote {out / 'report.md'} and the figures beside it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
