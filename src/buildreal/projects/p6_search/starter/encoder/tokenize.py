"""Text to token ids: words and their character trigrams, hashed into a fixed table.

A verse from a held-out book is full of names the training books never used ("Jonah",
"Philippi"). A word vocabulary would map them all to one unknown id and lose the very
words that identify the verse; hashing every word and every three-letter piece of it
gives unseen words ids too, and shared pieces ("prophet", "prophesied") share ids.
The hash is CRC-32, not Python's ``hash``, so ids are the same in every process.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import torch

PAD = 0  # id 0 is padding; hashed features use 1 .. buckets - 1
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=200_000)
def _word_ids(word: str, buckets: int) -> tuple[int, ...]:
    """The word itself and the trigrams of "<word>", each hashed to 1 .. buckets - 1."""
    marked = f"<{word}>"
    features = [f"w:{word}"] + [marked[i:i + 3] for i in range(len(marked) - 2)]
    return tuple(1 + zlib.crc32(f.encode("utf-8")) % (buckets - 1) for f in features)


class HashTokenizer:
    """``tokenizer(texts)`` -> LongTensor (B, T) of feature ids, right-padded with PAD."""

    def __init__(self, buckets: int = 2**17, max_tokens: int = 256) -> None:
        self.buckets = buckets
        self.max_tokens = max_tokens

    def ids(self, text: str) -> list[int]:
        found: list[int] = []
        for word in _WORD.findall(text.lower()):
            found.extend(_word_ids(word, self.buckets))
        return found[: self.max_tokens] or [PAD]

    def __call__(self, texts: Sequence[str]) -> torch.Tensor:
        rows = [self.ids(t) for t in texts]
        out = torch.full((len(rows), max(len(r) for r in rows)), PAD, dtype=torch.long)
        for i, row in enumerate(rows):
            out[i, : len(row)] = torch.tensor(row)
        return out  # (B, T)
