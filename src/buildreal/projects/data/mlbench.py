"""UCI outlier-detection sets from Debian's ``r-cran-mlbench`` package, read without R.

``buildreal data fetch mlbench`` downloads the .deb with ``apt-get download`` and unpacks
only its ``data/*.rda`` files (``dpkg -x``), so R itself is never installed; the PyPI
package ``rdata`` parses the R files. Each set becomes an outlier set by a fixed rule
that reproduces the ODDS benchmark (odds.cs.stonybrook.edu) row and outlier counts:

========== ====================================================== ========= ========
name       rule                                                   rows      outliers
========== ====================================================== ========= ========
shuttle    drop class "High"; every class but "Rad.Flow" is one   49,097    3,511
ionosphere class "bad" is an outlier; the constant column V2 goes 351       126
breastw    rows with a missing value and the Id go; "malignant"   683       239
pima       "pos" (diabetes) is an outlier                         768       268
satellite  the three smallest classes are outliers                6,435     2,036
========== ====================================================== ========= ========

Label 1 marks an outlier, 0 a normal row.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import numpy as np

from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.data.paths import datasets_dir

DEBIAN_PACKAGE = "r-cran-mlbench"
INSTALLED_DIR = Path("/usr/lib/R/site-library/mlbench/data")
_FILES = {"shuttle": "Shuttle", "ionosphere": "Ionosphere", "breastw": "BreastCancer",
          "pima": "PimaIndiansDiabetes", "satellite": "Satellite"}
OUTLIER_SETS: tuple[str, ...] = tuple(_FILES)
SATELLITE_OUTLIERS = ("cotton crop", "damp grey soil", "vegetation stubble")


def mlbench_dir() -> Path:
    return datasets_dir() / "mlbench"


def _find(stem: str) -> Path:
    for folder in (mlbench_dir(), INSTALLED_DIR):
        if (folder / f"{stem}.rda").is_file():
            return folder / f"{stem}.rda"
    raise DataUnavailable(
        f"{stem}.rda not found in {mlbench_dir()} or {INSTALLED_DIR}. Run "
        "`buildreal data fetch mlbench` (it unpacks Debian's r-cran-mlbench; no R needed)."
    )


def fetch_mlbench() -> bool:
    """Unpack the package's .rda files into ``mlbench_dir()``; False when already there."""
    target = mlbench_dir()
    if all((target / f"{s}.rda").is_file() for s in _FILES.values()):
        return False
    if all((INSTALLED_DIR / f"{s}.rda").is_file() for s in _FILES.values()):
        source = INSTALLED_DIR
        work = None
    else:
        work = Path(tempfile.mkdtemp(prefix="mlbench-"))
        try:
            subprocess.run(["apt-get", "download", DEBIAN_PACKAGE], cwd=work, check=True,
                           capture_output=True, text=True, timeout=300)
            deb = next(work.glob("*.deb"))
            subprocess.run(["dpkg", "-x", str(deb), str(work / "x")], check=True,
                           capture_output=True, text=True, timeout=300)
        except (OSError, StopIteration, subprocess.SubprocessError) as exc:
            shutil.rmtree(work, ignore_errors=True)
            detail = getattr(exc, "stderr", "") or exc
            raise DataUnavailable(
                f"could not download {DEBIAN_PACKAGE} with apt-get ({detail}); run "
                "`sudo apt-get update` and try again") from exc
        source = work / "x" / INSTALLED_DIR.relative_to("/")
    target.mkdir(parents=True, exist_ok=True)
    for stem in _FILES.values():
        shutil.copyfile(source / f"{stem}.rda", target / f"{stem}.rda")
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)
    return True


def _frame(stem: str):  # -> pandas.DataFrame (pandas comes with rdata)
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Unknown encoding. Assumed ASCII."
        try:
            return rdata.read_rda(_find(stem))[stem]
        except (ValueError, KeyError, EOFError) as exc:
            raise DataUnavailable(f"{stem}.rda is damaged ({exc}); delete it and run "
                                  "`buildreal data fetch mlbench` again") from exc


def load_outlier_set(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Features (N, F) float64 and labels (N,) int64 (1 = outlier) of one ODDS-style set."""
    if name not in _FILES:
        raise ValueError(f"unknown outlier set {name!r}; choose from {', '.join(_FILES)}")
    df = _frame(_FILES[name])
    label = df.columns[-1]
    cls = df[label].astype(str)
    if name == "shuttle":
        df, cls = df[cls != "High"], cls[cls != "High"]
        y = (cls != "Rad.Flow").to_numpy()
    elif name == "ionosphere":
        df = df.drop(columns=["V2"])
        y = (cls == "bad").to_numpy()
    elif name == "breastw":
        df = df.drop(columns=["Id"])
        keep = df.notna().all(axis=1).to_numpy()
        df, cls = df[keep], cls[keep]
        y = (cls == "malignant").to_numpy()
    elif name == "pima":
        y = (cls == "pos").to_numpy()
    else:
        y = cls.isin(SATELLITE_OUTLIERS).to_numpy()
    features = df.drop(columns=[label])
    x = np.column_stack([features[c].astype(str).astype(np.float64).to_numpy()
                         if str(features[c].dtype) not in ("float64", "int64", "int32")
                         else features[c].to_numpy(np.float64) for c in features.columns])
    return x.astype(np.float64), y.astype(np.int64)
