"""Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) read from IDX files with NumPy.

The files come from Debian's ``dataset-fashion-mnist`` package (60,000 training and
10,000 test images, 28x28 grey levels, 10 classes). torchvision is deliberately not a
dependency, so the IDX format is parsed here: a big-endian header (magic number whose
last byte is the number of dimensions, then one uint32 per dimension) followed by raw
uint8 values.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.data.paths import datasets_dir

FASHION_CLASSES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_SIZES = {"train": 60_000, "test": 10_000}


def candidate_dirs() -> list[Path]:
    """Where the IDX files are looked for, in order."""
    dirs = []
    if os.environ.get("BUILDREAL_FASHION_MNIST_DIR"):
        dirs.append(Path(os.environ["BUILDREAL_FASHION_MNIST_DIR"]))
    dirs += [datasets_dir() / "fashion-mnist", DEBIAN_DIR]
    return dirs


def find_dir() -> Path:
    """The first folder holding all four IDX files (plain or gzipped)."""
    for folder in candidate_dirs():
        names = [n for pair in _FILES.values() for n in pair]
        if all(_existing(folder / n) is not None for n in names):
            return folder
    searched = ", ".join(str(d) for d in candidate_dirs())
    raise DataUnavailable(
        f"Fashion-MNIST not found (looked in {searched}). Install the Debian package with "
        "`sudo apt-get install dataset-fashion-mnist` (scripts/setup.sh does it), or point "
        "BUILDREAL_FASHION_MNIST_DIR at a folder holding the four IDX files."
    )


def _existing(path: Path) -> Path | None:
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def read_idx(path: Path) -> np.ndarray:
    """Parse one IDX file (optionally gzipped) into a uint8 array of its declared shape."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataUnavailable(f"{path} is not an unsigned-byte IDX file; reinstall it.")
    ndim = raw[3]
    header = 4 + 4 * ndim
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(dims))
    if len(raw) - header != expected:
        raise DataUnavailable(
            f"{path} declares {dims} ({expected} bytes) but holds {len(raw) - header}; "
            "the file is truncated or damaged, reinstall it."
        )
    # copy: frombuffer views are read-only, and torch.from_numpy warns on those
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims).copy()


def load_fashion_mnist(split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Images uint8 (N, 28, 28) and labels int64 (N,) of the ``train`` or ``test`` split."""
    if split not in _FILES:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    folder = find_dir()
    image_name, label_name = _FILES[split]
    images = read_idx(_existing(folder / image_name))  # type: ignore[arg-type]
    labels = read_idx(_existing(folder / label_name)).astype(np.int64)  # type: ignore[arg-type]
    if images.shape != (_SIZES[split], 28, 28) or labels.shape != (_SIZES[split],):
        raise DataUnavailable(
            f"Fashion-MNIST {split} in {folder} has shapes {images.shape} and "
            f"{labels.shape}, expected ({_SIZES[split]}, 28, 28); reinstall the package."
        )
    return images, labels
