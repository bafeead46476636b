"""Project 7 benchmark: the reference autoencoder against IsolationForest,
LocalOutlierFactor and PCA reconstruction, on the same splits, AUROC and AUPRC as
mean ± standard deviation over seeds.

Tabular sets: the five UCI outlier sets of ``load_outlier_set`` with the project's
semi-supervised splits (``make_splits``: training holds 60% of the normal rows, test 20%
of the normals and half of the anomalies). Every method is fit on the normal training
rows, standardised with their statistics. Fashion-MNIST, one-class protocol: train on the
training images of one class, score all 10,000 test images (the other nine classes are
the anomalies); autoencoder against PCA with the same code size.

    nice -n 10 .venv/bin/python benchmarks/anomaly.py --seeds 0 1 2 3 4
    nice -n 10 .venv/bin/python benchmarks/anomaly.py --fashion 0 1 2 3 4 5 6 7 8 9 --no-tabular

Goal: the autoencoder matches or beats IsolationForest's mean AUROC across the tabular
sets, and beats PCA on the Fashion-MNIST one-class task.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.neighbors import LocalOutlierFactor

from buildreal.projects.data import OUTLIER_SETS, load_fashion_mnist, load_outlier_set
from buildreal.projects.p7_anomaly.reference.anomaly import TrainConfig, fit_detector, fit_scaler
from buildreal.projects.p7_anomaly.splits import make_splits


def pca_scores(train: np.ndarray, test: np.ndarray, k: int) -> np.ndarray:
    """Squared reconstruction error from the top-k principal components, per row."""
    pca = PCA(n_components=k, random_state=0).fit(train)
    return ((pca.inverse_transform(pca.transform(test)) - test) ** 2).mean(1)


def tabular(name: str, seed: int, config: TrainConfig, max_rows: int) -> dict[str, tuple]:
    x, y = load_outlier_set(name)
    if max_rows and len(x) > max_rows:
        keep = np.sort(np.random.default_rng(seed).permutation(len(x))[:max_rows])
        x, y = x[keep], y[keep]
    s = make_splits(x, y, seed=seed)
    scaler = fit_scaler(s["x_train"])
    tr, te = scaler.transform(s["x_train"]), scaler.transform(s["x_test"])
    latent = max(2, min(config.latent, x.shape[1] // 2))
    det = fit_detector(s["x_train"], s["y_train"],
                       dataclasses.replace(config, seed=seed, latent=latent))
    scores = {
        "autoencoder": det.score(s["x_test"]),
        "IsolationForest": -IsolationForest(random_state=seed).fit(tr).score_samples(te),
        "LOF": -LocalOutlierFactor(novelty=True).fit(tr).score_samples(te),
        "PCA": pca_scores(tr, te, latent),
    }
    return {m: (roc_auc_score(s["y_test"], v), average_precision_score(s["y_test"], v))
            for m, v in scores.items()}


def fashion(cls: int, seed: int, config: TrainConfig) -> dict[str, tuple]:
    x, y = load_fashion_mnist("train")
    xt, yt = load_fashion_mnist("test")
    train = x[y == cls].reshape(-1, 784).astype(np.float64) / 255.0
    test = xt.reshape(-1, 784).astype(np.float64) / 255.0
    labels = (yt != cls).astype(np.int64)
    det = fit_detector(train, np.zeros(len(train), np.int64),
                       dataclasses.replace(config, seed=seed))
    scaler = fit_scaler(train)
    scores = {"autoencoder": det.score(test),
              "PCA": pca_scores(scaler.transform(train), scaler.transform(test),
                                config.latent)}
    return {m: (roc_auc_score(labels, v), average_precision_score(labels, v))
            for m, v in scores.items()}


def _table(title: str, rows: dict[str, dict[str, list[tuple]]]) -> None:
    print(f"\n{title}: AUROC / AUPRC, mean ± std over runs")
    methods = list(next(iter(rows.values())))
    print("| data set | " + " | ".join(methods) + " |")
    print("|---" * (len(methods) + 1) + "|")
    means: dict[str, list[float]] = {m: [] for m in methods}
    for name, per in rows.items():
        cells = []
        for m in methods:
            a = np.array(per[m])  # (runs, 2)
            means[m].append(float(a[:, 0].mean()))
            cells.append(f"{a[:, 0].mean():.3f} ± {a[:, 0].std():.3f} / "
                         f"{a[:, 1].mean():.3f} ± {a[:, 1].std():.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| mean AUROC | " + " | ".join(f"{np.mean(v):.3f}" for v in means.values()) + " |")
    if "IsolationForest" in means:
        ratio = np.mean(means["autoencoder"]) / np.mean(means["IsolationForest"])
        print(f"autoencoder / IsolationForest mean AUROC: {ratio:.3f}")
    if "PCA" in means and "IsolationForest" not in means:
        print(f"autoencoder / PCA mean AUROC: "
              f"{np.mean(means['autoencoder']) / np.mean(means['PCA']):.3f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    p.add_argument("--sets", nargs="+", default=list(OUTLIER_SETS), choices=OUTLIER_SETS)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--max-rows", type=int, default=10_000,
                   help="subsample larger sets (Shuttle) to this many rows; 0: all")
    p.add_argument("--fashion", type=int, nargs="*", default=[], help="one-class classes")
    p.add_argument("--fashion-epochs", type=int, default=10)
    p.add_argument("--no-tabular", action="store_true")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    config = TrainConfig(epochs=args.epochs, batch_size=128)
    if not args.no_tabular:
        rows: dict[str, dict[str, list[tuple]]] = {}
        for name in args.sets:
            for seed in args.seeds:
                for m, v in tabular(name, seed, config, args.max_rows).items():
                    rows.setdefault(name, {}).setdefault(m, []).append(v)
            print(f"{name}: done ({time.perf_counter() - start:.0f} s)", flush=True)
        _table(f"Tabular sets, seeds {args.seeds}, {args.epochs} epochs", rows)
    if args.fashion:
        fcfg = TrainConfig(epochs=args.fashion_epochs, batch_size=256, hidden=128, latent=16,
                           dropout=0.0)
        frows: dict[str, dict[str, list[tuple]]] = {}
        for cls in args.fashion:
            for m, v in fashion(cls, args.seeds[0], fcfg).items():
                frows.setdefault(f"class {cls}", {}).setdefault(m, []).append(v)
            print(f"fashion class {cls}: done ({time.perf_counter() - start:.0f} s)",
                  flush=True)
        _table(f"Fashion-MNIST one-class, seed {args.seeds[0]}", frows)
    print(f"\nwall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
