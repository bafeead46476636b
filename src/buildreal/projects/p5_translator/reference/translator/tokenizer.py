"""A joint English/Spanish subword vocabulary (byte-pair encoding, Sennrich et al. 2016)
learned with the ``tokenizers`` package, from the training split only: a vocabulary fitted
on the test books would leak their words into the model's inputs."""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

PAD, UNK, BOS, EOS = 0, 1, 2, 3  # the special tokens' ids, fixed by their training order
SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]


def train_tokenizer(texts: Iterable[str], vocab_size: int = 6000) -> Tokenizer:
    """BPE over lower-cased text; words split at spaces (kept as "▁") and punctuation."""
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    # Lower case: 12,000 sentence pairs are too few to learn two spellings of each word.
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Metaspace(),
                                                 pre_tokenizers.Punctuation()])
    tok.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS,
                                  show_progress=False)
    tok.train_from_iterator(texts, trainer)
    return tok


def encode(tok: Tokenizer, texts: list[str]) -> list[list[int]]:
    """Token ids of each text, without BOS/EOS (training and decoding add those)."""
    return [e.ids for e in tok.encode_batch(texts)]


def decode(tok: Tokenizer, ids: list[list[int]]) -> list[str]:
    return tok.decode_batch(ids)
