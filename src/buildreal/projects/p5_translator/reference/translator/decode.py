"""Turning a trained model into translations: greedy decoding and beam search."""

from __future__ import annotations

import torch

from .model import Transformer
from .tokenizer import BOS, EOS


@torch.no_grad()
def greedy_decode(model: Transformer, src: torch.Tensor, max_len: int = 60
                  ) -> list[list[int]]:
    """src (B, S) -> for each sentence the most likely next token at every step, until EOS
    (ids without BOS/EOS)."""
    model.eval()
    memory, src_mask = model.encode(src)  # encoded once, reused at every step
    ys = torch.full((src.size(0), 1), BOS, dtype=torch.long)  # (B, 1)
    done = torch.zeros(src.size(0), dtype=torch.bool)
    for _ in range(max_len):
        logits = model.decode(ys, memory, src_mask)[:, -1]  # (B, V)
        nxt = logits.argmax(-1)
        nxt = torch.where(done, torch.full_like(nxt, EOS), nxt)
        ys = torch.cat([ys, nxt[:, None]], dim=1)
        done |= nxt == EOS
        if bool(done.all()):
            break
    out = []
    for row in ys[:, 1:].tolist():
        out.append(row[: row.index(EOS)] if EOS in row else row)
    return out


@torch.no_grad()
def beam_search(model: Transformer, src: torch.Tensor, beam: int = 4, max_len: int = 60,
                alpha: float = 0.6) -> list[list[int]]:
    """src (B, S) -> per sentence the finished hypothesis with the best length-normalised
    log-probability, score / ((5 + len) / 6) ** alpha (Wu et al. 2016)."""
    model.eval()
    results = []
    for i in range(src.size(0)):
        memory, src_mask = model.encode(src[i:i + 1])  # (1, S, D)
        hyps = [([BOS], 0.0)]
        finished: list[tuple[list[int], float]] = []
        for _ in range(max_len):
            ys = torch.tensor([h for h, _ in hyps])  # (k, t)
            k = ys.size(0)
            logp = torch.log_softmax(model.decode(ys, memory.expand(k, -1, -1),
                                                  src_mask.expand(k, -1, -1, -1))[:, -1], -1)
            scores = torch.tensor([s for _, s in hyps])[:, None] + logp  # (k, V)
            top = scores.flatten().topk(beam)
            hyps = []
            for score, flat in zip(top.values.tolist(), top.indices.tolist(), strict=True):
                h, tok = hyps_prev(ys, flat, logp.size(1))
                if tok == EOS:
                    finished.append((h[1:], score / ((5 + len(h)) / 6) ** alpha))
                else:
                    hyps.append((h + [tok], score))
            if not hyps or len(finished) >= beam:
                break
        if not finished:  # nothing ended within max_len: take the best open hypothesis
            finished = [(h[1:], s / ((5 + len(h)) / 6) ** alpha) for h, s in hyps]
        results.append(max(finished, key=lambda f: f[1])[0])
    return results


def hyps_prev(ys: torch.Tensor, flat: int, vocab: int) -> tuple[list[int], int]:
    """The prefix (row of ys) and the token that a flat top-k index stands for."""
    return ys[flat // vocab].tolist(), flat % vocab
