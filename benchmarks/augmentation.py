"""Project 3 study: does augmentation improve generalization, across several seeds?

``run_cnn_train`` trains the reference CNN twice on a subset of Fashion-MNIST (same
model, schedule and seed; with and without random shifts) and reports one pair. One pair
can be luck, so this script repeats the study for several seeds and prints, per seed and
on average: train accuracy (on un-augmented training images), validation accuracy and
their gap at the best validation epoch, plus test accuracy. The last line gives the
validation accuracy and the gap with augmentation as ratios to those without.

    nice -n 10 .venv/bin/python benchmarks/augmentation.py [--seeds 3] [--size 3000]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time

import torch

from buildreal.projects.p3_cnn.data import fashion_split
from buildreal.projects.p3_cnn.pipeline import STUDY_EPOCHS, STUDY_SIZE, augmentation_study, gap
from buildreal.projects.p3_cnn.reference.cnn import TrainConfig


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--size", type=int, default=STUDY_SIZE, help="training images")
    parser.add_argument("--epochs", type=int, default=STUDY_EPOCHS)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    split = fashion_split()
    small = dataclasses.replace(split, x_train=split.x_train[: args.size],
                                y_train=split.y_train[: args.size])
    print(f"{args.size} training images, {len(split.x_val)} validation, {len(split.x_test)} "
          f"test; {args.epochs} epochs; torch threads {torch.get_num_threads()}; load "
          f"average {os.getloadavg()[0]:.1f}")
    rows: dict[str, list[tuple[float, float, float, float]]] = {"with": [], "without": []}
    print(f"\n{'seed':>4s} {'augmentation':>12s} {'train acc':>9s} {'val acc':>8s} "
          f"{'gap':>7s} {'test acc':>8s} {'seconds':>8s}")
    for seed in range(args.seeds):
        start = time.perf_counter()
        study = augmentation_study(small, TrainConfig(epochs=args.epochs,
                                                      patience=args.epochs, seed=seed),
                                   show=False)
        seconds = (time.perf_counter() - start) / 2
        for name, outcome in study.items():
            row = (*gap(outcome), outcome.test_acc)
            rows[name].append(row)
            print(f"{seed:4d} {name:>12s} {row[0]:9.4f} {row[1]:8.4f} {row[2]:+7.4f} "
                  f"{row[3]:8.4f} {seconds:8.0f}", flush=True)
    mean = {name: [statistics.fmean(col) for col in zip(*r, strict=True)]
            for name, r in rows.items()}
    for name, m in mean.items():
        print(f"{'mean':>4s} {name:>12s} {m[0]:9.4f} {m[1]:8.4f} {m[2]:+7.4f} {m[3]:8.4f}")
    better = sum(w[1] > wo[1] for w, wo in zip(rows["with"], rows["without"], strict=True))
    print(f"\nwith / without augmentation: validation accuracy "
          f"{mean['with'][1] / mean['without'][1]:.4f}x, train-validation gap "
          f"{mean['with'][2] / mean['without'][2]:.2f}x; augmentation "
          f"had the better validation accuracy for {better} of {args.seeds} seeds")


if __name__ == "__main__":
    main()
