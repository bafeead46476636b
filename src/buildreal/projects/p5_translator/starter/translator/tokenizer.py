"""A joint English/Spanish subword vocabulary learned with the ``tokenizers`` package,
from the training split only."""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import Tokenizer

PAD, UNK, BOS, EOS = 0, 1, 2, 3  # the special tokens' ids, fixed by their training order
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]


def train_tokenizer(texts: Iterable[str], vocab_size: int = 6000) -> Tokenizer:
    """A subword tokenizer trained on ``texts`` with SPECIALS as its first tokens, whose
    decode gives the text back (up to case)."""
    raise NotImplementedError("TODO: a BPE (or Unigram) tokenizer with a decoder")


def encode(tok: Tokenizer, texts: list[str]) -> list[list[int]]:
    """Token ids of each text, without BOS/EOS."""
    return [e.ids for e in tok.encode_batch(texts)]


def decode(tok: Tokenizer, ids: list[list[int]]) -> list[str]:
    return tok.decode_batch(ids)
