"""The interfaces the final project imports from Project 6: ``load_text_encoder`` (a
trained encoder that turns texts into unit vectors) and ``VectorIndex`` (exact and HNSW
search that can be saved and loaded)."""

from __future__ import annotations

import numpy as np
import pytest

from buildreal.projects.p6_search.api import load_text_encoder, train_preset
from buildreal.projects.p6_search.index import VectorIndex
from buildreal.projects.p6_search.reference.encoder import encode

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("p6-models")


def test_tiny_encoder_trains_once_then_loads_and_ranks_paraphrases_first(models_dir):
    encoder = load_text_encoder(models_dir, preset="tiny")
    assert (models_dir / "encoder-tiny.pt").is_file()
    kjv = ["And Ruth said, Intreat me not to leave thee, or to return from following after thee",
           "Jesus wept.",
           "Rejoice in the Lord alway: and again I say, Rejoice."]
    web = ["Ruth said, \"Don't urge me to leave you, and to return from following you",
           "Jesus wept.",
           "Rejoice in the Lord always! Again I will say, \"Rejoice!\""]
    q, d = encoder.encode(kjv), encoder.encode(web)
    assert q.dtype == np.float32 and q.shape == (3, encoder.dim)
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    assert (np.argmax(q @ d.T, axis=1) == np.arange(3)).all()
    again = load_text_encoder(models_dir, train_if_missing=False, preset="tiny")
    assert np.array_equal(again.encode(kjv), q)  # loaded, not retrained: same vectors


def test_another_seed_trains_another_model_and_the_same_seed_the_same_one(models_dir):
    saved = load_text_encoder(models_dir, preset="tiny")  # seed 0, the preset's
    same, _, _ = train_preset("tiny", seed=0)
    other, _, _ = train_preset("tiny", seed=1)
    texts = ["Jesus wept.", "In the beginning God created the heavens and the earth."]
    tokenizer = saved.tokenizer
    assert np.array_equal(encode(same.eval(), tokenizer, texts), saved.encode(texts))
    assert not np.allclose(encode(other.eval(), tokenizer, texts), saved.encode(texts))


def test_missing_model_without_training_says_how_to_train_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="run_semantic_search"):
        load_text_encoder(tmp_path, train_if_missing=False, preset="tiny")
    with pytest.raises(ValueError, match="unknown preset"):
        load_text_encoder(tmp_path, preset="huge")


def test_encoding_a_bare_string_is_refused_and_no_texts_give_no_rows(models_dir):
    encoder = load_text_encoder(models_dir, preset="tiny")
    with pytest.raises(TypeError, match="list"):
        encoder.encode("solar energy")
    assert encoder.encode([]).shape == (0, encoder.dim)


def test_exact_index_returns_the_true_nearest_neighbours_best_first():
    rng = np.random.default_rng(0)
    base, queries = _unit(rng, 500, 16), _unit(rng, 20, 16)
    index = VectorIndex(16, "exact")
    index.add(base[:200])
    index.add(base[200:])  # ids continue in order
    scores, ids = index.search(queries, 5)
    want = np.argsort(-(queries @ base.T), axis=1)[:, :5]
    assert ids.dtype == np.int64 and ids.shape == (20, 5)
    assert np.array_equal(ids, want)
    assert np.allclose(scores, np.take_along_axis(queries @ base.T, want, axis=1), atol=1e-5)


def test_hnsw_index_finds_almost_all_exact_neighbours():
    rng = np.random.default_rng(1)
    base, queries = _unit(rng, 3000, 32), _unit(rng, 50, 32)
    exact, approx = VectorIndex(32, "exact"), VectorIndex(32, "hnsw")
    exact.add(base)
    approx.add(base)
    _, want = exact.search(queries, 10)
    _, got = approx.search(queries, 10)
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want, strict=True)])
    assert overlap >= 0.9


@pytest.mark.parametrize("kind", ["exact", "hnsw"])
def test_saved_index_loads_with_its_kind_and_gives_the_same_answers(kind, tmp_path):
    rng = np.random.default_rng(2)
    base, queries = _unit(rng, 300, 8), _unit(rng, 5, 8)
    index = VectorIndex(8, kind)
    index.add(base)
    index.save(tmp_path / "sub" / "index.faiss")
    loaded = VectorIndex.load(tmp_path / "sub" / "index.faiss")
    assert (loaded.kind, loaded.dim, len(loaded)) == (kind, 8, 300)
    for a, b in zip(index.search(queries, 4), loaded.search(queries, 4), strict=True):
        assert np.array_equal(a, b)


def test_index_rejects_wrong_widths_and_pads_short_results():
    index = VectorIndex(4)
    with pytest.raises(ValueError, match=r"shape \(n, 4\)"):
        index.add(np.ones((2, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="unknown index kind"):
        VectorIndex(4, "ivf")
    index.add(np.eye(4, dtype=np.float32)[:2])
    scores, ids = index.search(np.eye(4, dtype=np.float32)[:1], 3)
    assert ids.tolist() == [[0, 1, -1]] and scores[0, 2] == -np.inf
