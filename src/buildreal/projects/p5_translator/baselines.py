"""The two systems the Transformer is compared with.

- ``DictionaryTranslator``: word by word through FreeDict (English to Spanish) or its
  inversion (Spanish to English); unknown words are copied.
- ``GRUAttention``: the pre-Transformer neural recipe, a bidirectional GRU encoder and a
  GRU decoder with additive attention (Bahdanau, Cho and Bengio 2015), on the same
  subword tokens, trained with the same loss and optimizer.
"""

from __future__ import annotations

import re

import torch
from torch import nn

from buildreal.projects.data.freedict import load_freedict
from buildreal.projects.p5_translator.corpus import check_direction, dictionary_pairs
from buildreal.projects.p5_translator.reference.translator import BOS, EOS, PAD

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_PLAIN = re.compile(r"^[a-záéíóúüñ]{1,15}$")


class DictionaryTranslator:
    def __init__(self, direction: str) -> None:
        src, _ = check_direction(direction)
        table: dict[str, str] = {}
        if src == "en":
            for english, spanish in load_freedict().items():
                plain = [w.lower() for w in spanish if _PLAIN.match(w.lower())]
                if plain:  # skip FreeDict's glued phrases ("porlaizquierda")
                    table[english.lower()] = plain[0]
        else:
            for english, spanish in dictionary_pairs():
                table.setdefault(spanish, english)
        self.table = table

    def translate(self, texts: list[str], beam: int = 1) -> list[str]:
        del beam  # one choice per word: nothing to search
        out = []
        for text in texts:
            words = [self.table.get(w.lower(), w.lower()) for w in _TOKEN.findall(text)]
            out.append(re.sub(r" ([^\w\s])", r"\1", " ".join(words)))
        return out


class GRUAttention(nn.Module):
    """Encoder: embeddings -> bidirectional GRU (B, S, 2H). Decoder step: previous token
    and previous context -> GRU -> additive attention over the encoder states -> logits."""

    def __init__(self, vocab_size: int, d_emb: int = 128, hidden: int = 256,
                 dropout: float = 0.1) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_emb, padding_idx=PAD)
        # Initialised and scaled as the Transformer's tied embedding, so that the output
        # logits start small for both models.
        nn.init.normal_(self.embed.weight, std=d_emb ** -0.5)
        self.scale = d_emb ** 0.5
        self.encoder = nn.GRU(d_emb, hidden // 2, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(hidden, hidden)
        self.cell = nn.GRUCell(d_emb + hidden, hidden)
        self.att_keys = nn.Linear(hidden, hidden, bias=False)
        self.att_query = nn.Linear(hidden, hidden)
        self.att_v = nn.Linear(hidden, 1, bias=False)
        self.out = nn.Linear(2 * hidden + d_emb, d_emb)
        self.drop = nn.Dropout(dropout)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """src (B, S) -> states (B, S, H), their projected keys (B, S, H), first hidden."""
        mask = src != PAD  # (B, S)
        lengths = mask.sum(1).clamp(min=1).cpu()
        emb = self.drop(self.embed(src) * self.scale)  # (B, S, E)
        packed = nn.utils.rnn.pack_padded_sequence(emb, lengths, batch_first=True,
                                                   enforce_sorted=False)
        states, _ = self.encoder(packed)
        states, _ = nn.utils.rnn.pad_packed_sequence(states, batch_first=True,
                                                     total_length=src.size(1))
        mean = (states * mask[..., None]).sum(1) / lengths[:, None].to(states.dtype)
        return states, self.att_keys(states), torch.tanh(self.bridge(mean))

    def step(self, token: torch.Tensor, h: torch.Tensor, ctx: torch.Tensor,
             states: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor
             ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One decoder step: token (B,), h (B, H), ctx (B, H) -> logits (B, V), h, ctx."""
        emb = self.drop(self.embed(token) * self.scale)  # (B, E)
        h = self.cell(torch.cat([emb, ctx], -1), h)
        energy = self.att_v(torch.tanh(keys + self.att_query(h)[:, None])).squeeze(-1)
        weights = torch.softmax(energy.masked_fill(~mask, float("-inf")), -1)  # (B, S)
        ctx = (weights[:, :, None] * states).sum(1)  # (B, H)
        feat = torch.tanh(self.out(self.drop(torch.cat([h, ctx, emb], -1))))  # (B, E)
        return feat @ self.embed.weight.T, h, ctx

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: (B, S), (B, T) -> logits (B, T, V)."""
        states, keys, h = self.encode(src)
        mask = src != PAD
        ctx = torch.zeros_like(h)
        logits = []
        for t in range(tgt_in.size(1)):
            step_logits, h, ctx = self.step(tgt_in[:, t], h, ctx, states, keys, mask)
            logits.append(step_logits)
        return torch.stack(logits, 1)

    @torch.no_grad()
    def greedy(self, src: torch.Tensor, max_len: int = 60) -> list[list[int]]:
        self.eval()
        states, keys, h = self.encode(src)
        mask = src != PAD
        ctx = torch.zeros_like(h)
        token = torch.full((src.size(0),), BOS, dtype=torch.long)
        rows: list[list[int]] = [[] for _ in range(src.size(0))]
        done = torch.zeros(src.size(0), dtype=torch.bool)
        for _ in range(max_len):
            logits, h, ctx = self.step(token, h, ctx, states, keys, mask)
            token = logits.argmax(-1)
            for i, tok in enumerate(token.tolist()):
                if not done[i] and tok != EOS:
                    rows[i].append(tok)
            done |= token == EOS
            if bool(done.all()):
                break
        return rows
