"""Shakespeare as character ids, split by play."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from buildreal.projects.data import load_shakespeare, split_works

# Works are joined with a blank line, so a model sees where one ends and another begins.
SEPARATOR = "\n\n\n"


@dataclass(frozen=True)
class Vocab:
    chars: str  # one character per id, sorted

    @classmethod
    def from_texts(cls, *texts: str) -> Vocab:
        return cls("".join(sorted(set().union(*map(set, texts)))))

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        return self.encode_array(text).tolist()

    def encode_array(self, text: str) -> np.ndarray:
        """int64 ids of ``text``; one table lookup per byte, as the corpus is ASCII."""
        missing = sorted(set(text) - set(self.chars))
        if missing:
            raise ValueError(f"characters not in the vocabulary: {''.join(missing)!r}")
        table = np.zeros(256, dtype=np.int64)
        table[np.frombuffer(self.chars.encode("ascii"), dtype=np.uint8)] = np.arange(len(self))
        return table[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.chars[i] for i in ids)


@dataclass(frozen=True)
class Corpus:
    vocab: Vocab
    train: torch.Tensor  # (N_train,) int64
    val: torch.Tensor  # (N_val,) int64
    train_works: tuple[str, ...]
    val_works: tuple[str, ...]


def load_corpus(limit: int | None = None) -> Corpus:
    """Train on 38 works, validate on the 4 held-out plays (see ``VALIDATION_WORKS``).

    ``limit`` truncates both texts to that many characters (quick runs and tests).
    """
    train_works, val_works = split_works(load_shakespeare())
    train_text = SEPARATOR.join(train_works.values())
    val_text = SEPARATOR.join(val_works.values())
    if limit is not None:
        train_text, val_text = train_text[:limit], val_text[: max(limit // 5, 1000)]
    vocab = Vocab.from_texts(train_text, val_text)
    as_ids = lambda t: torch.from_numpy(vocab.encode_array(t))  # noqa: E731
    return Corpus(vocab, as_ids(train_text), as_ids(val_text), tuple(train_works),
                  tuple(val_works))
