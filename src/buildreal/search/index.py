"""The search index of the loaded packs, and queries against it.

Built when the packs load (``load_at_start``, called by the WSGI entry point next to the
catalog), never per request: the full-text table is refilled only when the passages
changed, stored vectors are read from disk, and passages without a stored vector are
encoded in a background thread, so a first start on a new machine serves at once with
word matching and gains meaning matching as the vectors arrive (one process encodes;
the others wait for its file). A query costs one encoder call, one matrix product and
one full-text query; the two rankings are fused by reciprocal rank.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import DatabaseError

from buildreal.catalog.content import get_catalog
from buildreal.packs.model import Catalog
from buildreal.search import fulltext
from buildreal.search.passages import Passage, digest, passages_of
from buildreal.search.vectors import VectorStore
from buildreal.tutor import embedder

log = logging.getLogger(__name__)

RRF_K = 60  # reciprocal rank fusion's damping constant (Cormack et al. 2009)
CANDIDATES = 50  # from each ranking
MIN_SIMILARITY = 0.3  # below this cosine a passage is not "about" the query
RESULTS = 20


@dataclass
class SearchIndex:
    catalog: Catalog
    passages: list[Passage]
    vectors: np.ndarray  # (n, 384); zero rows where a passage has no vector yet
    has_vector: np.ndarray  # (n,) bool
    build_seconds: float = 0.0
    encoded: int = 0  # passages encoded by this process (not read from disk)
    ready: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Result:
    passage: Passage
    score: float
    by_words: bool
    by_meaning: bool


_lock = threading.Lock()
_index: SearchIndex | None = None


def store_path() -> Path:
    name = f"vectors-{embedder.MODEL_ID}-f{embedder.FORMAT}.npz"
    return Path(settings.DATA_DIR) / "search" / name


def _matrix(passages: list[Passage], store: VectorStore) -> tuple[np.ndarray, np.ndarray]:
    vectors = np.zeros((len(passages), embedder.EMBEDDING_DIM), dtype=np.float32)  # (n, 384)
    has = np.zeros(len(passages), dtype=bool)
    for row, passage in enumerate(passages):
        vector = store.get(passage.key)
        if vector is not None:
            vectors[row], has[row] = vector, True
    return vectors, has


def _encode_missing(index: SearchIndex) -> None:
    """Encode the passages with no stored vector (one process at a time), then swap the
    finished matrix into the index."""
    path = store_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be encoding: wait for it
            store = VectorStore(path, embedder.EMBEDDING_DIM)
            items = [(p.key, p.text) for p in index.passages]
            index.encoded = store.fill(items, embedder.shared_embedder().encode)
    except (OSError, embedder.EmbedderUnavailable) as exc:
        log.warning("search: passages not encoded (%s); results match words only", exc)
        index.ready.set()
        return
    index.vectors, index.has_vector = _matrix(index.passages, store)
    index.ready.set()


def build_index(catalog: Catalog | None = None, *, background: bool = False) -> SearchIndex:
    """Index ``catalog`` (default: the loaded packs) and make it the process's index."""
    global _index
    started = time.perf_counter()
    catalog = catalog or get_catalog()
    passages = passages_of(catalog)
    fulltext.rebuild(passages, digest(passages))
    store = VectorStore(store_path(), embedder.EMBEDDING_DIM)
    vectors, has = _matrix(passages, store)
    index = SearchIndex(catalog, passages, vectors, has)
    if has.all() or not embedder.available():
        index.ready.set()
    elif background:
        threading.Thread(target=_encode_missing, args=(index,), name="buildreal-search",
                         daemon=True).start()
    else:
        _encode_missing(index)
    index.build_seconds = time.perf_counter() - started
    with _lock:
        _index = index
    return index


def get_index() -> SearchIndex:
    """The index of the loaded packs (built now if this process has none, or the packs
    were reloaded, as tests do)."""
    index = _index
    if index is None or index.catalog is not get_catalog():
        with _lock:
            index = _index
        if index is None or index.catalog is not get_catalog():
            index = build_index(background=True)
    return index


def load_at_start() -> None:
    """Build the index at process start; encoding continues in the background. A
    database that cannot take the full-text table is logged, not fatal: the first search
    tries again (and says what failed)."""
    try:
        index = build_index(background=True)
    except DatabaseError as exc:
        log.warning("search: index not built at start (%s)", exc)
        return
    log.info("search: %d passages indexed in %.1f s (%d with stored vectors)",
             len(index.passages), index.build_seconds, int(index.has_vector.sum()))


def _semantic(index: SearchIndex, query: str) -> list[int]:
    if not index.has_vector.any() or not embedder.available():
        return []
    try:
        query_vector = embedder.shared_embedder().encode([query])[0]  # (384,)
    except embedder.EmbedderUnavailable:
        return []
    scores = index.vectors @ query_vector  # (n,) cosine: both sides unit length
    scores[~index.has_vector] = -1.0
    best = np.argsort(-scores)[:CANDIDATES]
    return [int(i) for i in best if scores[i] >= MIN_SIMILARITY]


def search(query: str, limit: int = RESULTS) -> list[Result]:
    """Passages for ``query``, best first: reciprocal rank fusion of the full-text and
    the semantic rankings, one result per page section."""
    if not fulltext.terms(query):
        return []
    index = get_index()
    by_words = [pid for pid in fulltext.match(query, CANDIDATES) if pid < len(index.passages)]
    by_meaning = _semantic(index, query)
    scores: dict[int, float] = {}
    for ranking in (by_words, by_meaning):
        for rank, pid in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (RRF_K + rank)
    words, meaning = set(by_words), set(by_meaning)
    results, seen = [], set()
    for pid in sorted(scores, key=lambda pid: (-scores[pid], pid)):
        passage = index.passages[pid]
        section = (passage.course_id, passage.item_id, passage.anchor)
        if section in seen:
            continue
        seen.add(section)
        results.append(Result(passage, scores[pid], pid in words, pid in meaning))
        if len(results) == limit:
            break
    return results
