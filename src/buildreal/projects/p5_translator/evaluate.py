"""Corpus BLEU and chrF with sacrebleu, case-insensitive: the translator lower-cases its
input and output (``translator.tokenizer``), so every system is scored on lower case."""

from __future__ import annotations

from dataclasses import dataclass

import sacrebleu


@dataclass(frozen=True)
class Scores:
    bleu: float
    chrf: float
    n: int


def score(hyps: list[str], refs: list[str]) -> Scores:
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} translations for {len(refs)} references")
    low_h, low_r = [h.lower() for h in hyps], [r.lower() for r in refs]
    bleu = sacrebleu.corpus_bleu(low_h, [low_r])
    chrf = sacrebleu.corpus_chrf(low_h, [low_r])
    return Scores(round(bleu.score, 2), round(chrf.score, 2), len(hyps))


def sentence_chrf(hyp: str, ref: str) -> float:
    return float(sacrebleu.sentence_chrf(hyp.lower(), [ref.lower()]).score)
