"""The UCI outlier sets unpacked from Debian's r-cran-mlbench reproduce ODDS's counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from buildreal.projects.data import DataUnavailable, load_outlier_set


def test_shuttle_matches_odds_after_dropping_class_high():
    x, y = load_outlier_set("shuttle")
    assert x.shape == (49_097, 9) and x.dtype == np.float64
    assert int(y.sum()) == 3_511 and set(np.unique(y)) == {0, 1}
    assert np.isfinite(x).all()


@pytest.mark.parametrize(("name", "shape", "outliers"), [
    ("ionosphere", (351, 33), 126),
    ("breastw", (683, 9), 239),
    ("pima", (768, 8), 268),
    ("satellite", (6_435, 36), 2_036),
])
def test_other_outlier_sets_follow_their_documented_rules(name, shape, outliers):
    x, y = load_outlier_set(name)
    assert x.shape == shape and int(y.sum()) == outliers and np.isfinite(x).all()


def test_missing_mlbench_files_name_the_fetch_command(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BUILDREAL_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("buildreal.projects.data.mlbench.INSTALLED_DIR", tmp_path / "none")
    with pytest.raises(DataUnavailable, match="buildreal data fetch mlbench"):
        load_outlier_set("shuttle")


def test_unknown_outlier_set_lists_the_known_ones():
    with pytest.raises(ValueError, match="shuttle"):
        load_outlier_set("kddcup")
