"""Put every offline data set in place: what ``buildreal data fetch`` runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from buildreal.projects.data.bibles import bibles_path, fetch_bibles
from buildreal.projects.data.errors import DataUnavailable
from buildreal.projects.data.fashion_mnist import find_dir
from buildreal.projects.data.mlbench import fetch_mlbench, mlbench_dir
from buildreal.projects.data.mnist1d import cache_path, fetch_mnist1d
from buildreal.projects.data.shakespeare import fetch_shakespeare, texts_dir


@dataclass(frozen=True)
class FetchOutcome:
    name: str
    ok: bool
    message: str


def _fashion() -> str:
    return f"present in {find_dir()}"


def _mnist1d() -> str:
    return ("generated into " if fetch_mnist1d() else "already in ") + str(cache_path())


def _shakespeare() -> str:
    return ("fetched into " if fetch_shakespeare() else "already in ") + str(texts_dir())


def _mlbench() -> str:
    return ("unpacked into " if fetch_mlbench() else "already in ") + str(mlbench_dir())


def _bibles() -> str:
    return ("exported into " if fetch_bibles() else "already in ") + str(bibles_path())


DATASETS: dict[str, Callable[[], str]] = {
    "fashion-mnist": _fashion,
    "mnist1d": _mnist1d,
    "shakespeare": _shakespeare,
    "mlbench": _mlbench,
    "bibles": _bibles,
}


def fetch_all(names: list[str] | None = None) -> list[FetchOutcome]:
    """Fetch each named data set (all by default); failures are reported, not raised."""
    outcomes = []
    for name in names or list(DATASETS):
        try:
            outcomes.append(FetchOutcome(name, True, DATASETS[name]()))
        except DataUnavailable as exc:
            outcomes.append(FetchOutcome(name, False, str(exc)))
    return outcomes
