"""The trained reference encoder as a service other code can call.

The final project (and this project's demo and benchmark) call::

    from buildreal.projects.p6_search.api import load_text_encoder
    encoder = load_text_encoder()            # trains once (minutes), then loads (< 1 s)
    vectors = encoder.encode(["solar energy", "vanishing gradients"])  # (2, D) unit rows

The model is the reference ``encoder`` package trained with InfoNCE on KJV/WEB paraphrase
pairs of the training books (``buildreal.projects.data.bibles``). It is saved under
``models_dir`` (default ``<data>/models/p6-search``, next to the data sets) as one
``encoder-<preset>.pt`` file holding the config and the weights, written to a temporary
name and renamed so a concurrent reader never sees half a file.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from buildreal.projects.data import bibles
from buildreal.projects.data.paths import datasets_dir
from buildreal.projects.p6_search.reference.encoder import (
    BagEncoder,
    HashTokenizer,
    TrainConfig,
    build_model,
    encode,
    train_encoder,
)

FORMAT = 2  # bump when the saved file's layout changes (2: the importance table)


@dataclass(frozen=True)
class Preset:
    config: TrainConfig
    max_pairs: int | None  # training pairs used (None: every pair of the training books)


PRESETS: dict[str, Preset] = {
    # For tests: seconds on one core, enough to rank paraphrases far above chance.
    "tiny": Preset(TrainConfig(buckets=2**16, dim=64, out_dim=64, epochs=1, batch_size=128),
                   max_pairs=3000),
    # The documented model: every training pair (29,738), about six CPU minutes (one thread).
    "small": Preset(TrainConfig(), max_pairs=None),
}


def default_models_dir() -> Path:
    return datasets_dir().parent / "models" / "p6-search"


class TextEncoder:
    """Sentences in, unit vectors out: ``encode(texts)`` -> float32 (N, dim)."""

    def __init__(self, model: BagEncoder, tokenizer: HashTokenizer, preset: str,
                 path: Path | None = None) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.preset = preset
        self.path = path
        self.dim = model.out_dim

    def encode(self, texts: Sequence[str], batch_size: int = 512) -> np.ndarray:
        """texts -> float32 (len(texts), dim), every row of unit length."""
        if isinstance(texts, str):
            raise TypeError("encode takes a list of texts; wrap a single text in a list")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return encode(self.model, self.tokenizer, list(texts), batch_size)


def _path(models_dir: Path, preset: str) -> Path:
    return models_dir / f"encoder-{preset}.pt"


def train_preset(preset: str = "small",
                 on_epoch: Callable[[int, dict[str, float]], None] | None = None,
                 seed: int | None = None,
                 ) -> tuple[BagEncoder, HashTokenizer, dict[str, list[float]]]:
    """Train the reference encoder on KJV -> WEB pairs of the training books only.

    ``seed`` replaces the preset's seed (weights and shuffling): the benchmark uses it to
    show how far the held-out figures move with the seed alone."""
    chosen = PRESETS[preset]
    config = chosen.config if seed is None else dataclasses.replace(chosen.config, seed=seed)
    train = bibles.by_split(bibles.load_verses())["train"][: chosen.max_pairs]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a bag of embeddings gains nothing from spinning threads
    try:
        return train_encoder(config, [v.kjv for v in train], [v.web for v in train],
                             on_epoch=on_epoch)
    finally:
        torch.set_num_threads(threads)


def save_encoder(model: BagEncoder, config: TrainConfig, path: Path,
                 history: dict[str, list[float]] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    torch.save({"format": FORMAT, "config": dataclasses.asdict(config),
                "state_dict": model.state_dict(), "history": history or {}}, partial)
    partial.replace(path)


def _read(path: Path, preset: str) -> TextEncoder | None:
    try:
        saved = torch.load(path, weights_only=True)
    except (OSError, RuntimeError, EOFError):
        return None  # missing or damaged: train again
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        return None
    config = TrainConfig(**saved["config"])
    model = build_model(seed=config.seed, buckets=config.buckets, dim=config.dim,
                        out_dim=config.out_dim)
    model.load_state_dict(saved["state_dict"])
    return TextEncoder(model, HashTokenizer(config.buckets, config.max_tokens), preset, path)


def load_text_encoder(models_dir: Path | None = None, train_if_missing: bool = True,
                      preset: str = "small") -> TextEncoder:
    """The reference encoder for ``preset`` ("tiny" or "small"), loaded from
    ``models_dir`` or, when absent and ``train_if_missing``, trained and saved there.

    Raises ``FileNotFoundError`` (saying how to train it) when the model is missing and
    training is not allowed, ``ValueError`` for an unknown preset and
    ``buildreal.projects.data.DataUnavailable`` when the Bible data must be fetched first.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}")
    path = _path(Path(models_dir) if models_dir else default_models_dir(), preset)
    found = _read(path, preset) if path.is_file() else None
    if found is not None:
        return found
    if not train_if_missing:
        raise FileNotFoundError(
            f"no trained encoder at {path}; run `run_semantic_search --preset {preset} "
            "\"any query\"` once to train it, or call load_text_encoder(train_if_missing=True)")
    started = time.monotonic()
    model, tokenizer, history = train_preset(preset)
    history["seconds"] = [time.monotonic() - started]
    save_encoder(model, PRESETS[preset].config, path, history)
    return TextEncoder(model, tokenizer, preset, path)
