"""A whole translator: the subword tokenizer, the trained reference Transformer and the
decoding settings, trained from the corpus, saved to and loaded from one folder.

Presets are typed ``TrainConfig``s plus how much of the corpus they read:

- ``tiny``: a seconds-long run on a slice of the corpus, for tests (it translates badly);
- ``small``: the default, the model of the write-up: at most 18 minutes of training;
- ``large``: twice as wide, trained for 40 epochs without a time limit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from tokenizers import Tokenizer

from buildreal.projects.p5_translator.corpus import Pairs, check_direction, load_pairs
from buildreal.projects.p5_translator.reference.translator import (
    EOS,
    TrainConfig,
    Transformer,
    beam_search,
    build_model,
    greedy_decode,
    pad_batch,
    train_tokenizer,
    train_translator,
)
from buildreal.projects.p5_translator.reference.translator import (
    decode as decode_ids,
)
from buildreal.projects.p5_translator.reference.translator import (
    encode as encode_texts,
)


@dataclass(frozen=True)
class Preset:
    name: str
    train: TrainConfig
    limit: int | None = None  # training pairs used (None: all)


PRESETS: dict[str, Preset] = {
    "tiny": Preset("tiny", TrainConfig(vocab_size=400, d_model=32, heads=2, layers=1, d_ff=64,
                                       dropout=0.0, batch_size=32, epochs=8, lr=3e-3,
                                       warmup_steps=30, max_len=64), limit=600),
    "small": Preset("small", TrainConfig(vocab_size=4000, d_model=128, heads=4, layers=3,
                                         d_ff=512, dropout=0.1, batch_size=64, epochs=40,
                                         lr=1e-3, warmup_steps=400, max_seconds=1080.0)),
    "large": Preset("large", TrainConfig(vocab_size=6000, d_model=256, heads=4, layers=3,
                                         d_ff=1024, dropout=0.2, batch_size=64, epochs=40,
                                         lr=7e-4, warmup_steps=600)),
}


def preset(name: str) -> Preset:
    if name not in PRESETS:
        raise ValueError(f"preset {name!r} is not one of {', '.join(PRESETS)}")
    return PRESETS[name]


def encode_pairs(tok: Tokenizer, pairs: Pairs, max_len: int) -> tuple[list[list[int]],
                                                                     list[list[int]]]:
    """Token ids of both sides, dropping pairs too long for the positional table."""
    src, tgt = encode_texts(tok, pairs.src), encode_texts(tok, pairs.tgt)
    keep = [i for i in range(len(src)) if 0 < len(src[i]) <= max_len - 2
            and 0 < len(tgt[i]) <= max_len - 2]
    return [src[i] for i in keep], [tgt[i] for i in keep]


class Translator:
    """Translate lists of sentences with a trained model and its tokenizer."""

    def __init__(self, model: Transformer, tokenizer: Tokenizer, direction: str,
                 info: dict[str, object] | None = None) -> None:
        self.model, self.tokenizer, self.direction = model.eval(), tokenizer, direction
        self.info = info or {}

    def _src(self, texts: list[str]) -> torch.Tensor:
        limit = self.model.config.max_len - 2
        ids = [row[:limit] or [EOS] for row in encode_texts(self.tokenizer, texts)]
        return pad_batch(ids)  # (B, S)

    def translate(self, texts: list[str], beam: int = 1, batch_size: int = 64) -> list[str]:
        """Translations in input order; beam=1 is greedy decoding."""
        if beam < 1:
            raise ValueError("beam must be at least 1")
        out: list[str] = []
        for start in range(0, len(texts), batch_size):
            src = self._src(texts[start:start + batch_size])
            # A translation is rarely twice its source: stop a stuck model early.
            max_len = min(self.model.config.max_len - 2, 2 * src.size(1) + 10)
            ids = greedy_decode(self.model, src, max_len) if beam == 1 \
                else beam_search(self.model, src, beam, max_len)
            out.extend(decode_ids(self.tokenizer, ids))
        return out

    def attention(self, text: str, beam: int = 1) -> tuple[list[str], list[str], list[
            torch.Tensor]]:
        """Source tokens, output tokens and each decoder layer's cross-attention
        (H, T, S) when the model re-reads its own translation of ``text``."""
        src = self._src([text])
        ids = (greedy_decode(self.model, src) if beam == 1 else beam_search(
            self.model, src, beam))[0]
        tgt_in = torch.tensor([[2] + ids])  # BOS + output: predicts output + EOS
        with torch.no_grad():
            self.model(src, tgt_in)
        weights = [w[0] for w in self.model.cross_attention()]
        src_tokens = [self.tokenizer.id_to_token(i) for i in src[0].tolist()]
        out_tokens = [self.tokenizer.id_to_token(i) for i in ids] + ["</s>"]
        return src_tokens, out_tokens, weights


def model_dir(models_dir: Path, direction: str, preset_name: str) -> Path:
    return models_dir / f"translator-{direction}-{preset_name}"


def train_system(direction: str, preset_name: str = "small",
                 log: Callable[[str], None] | None = None,
                 overrides: dict[str, object] | None = None) -> Translator:
    """Tokenizer on the training split, then the Transformer on the encoded pairs."""
    check_direction(direction)
    p = preset(preset_name)
    config = replace(p.train, **(overrides or {}))
    splits = load_pairs(direction)
    train = splits["train"]
    if p.limit is not None:
        train = _slice(train, p.limit)
    started = time.perf_counter()
    tok = train_tokenizer(train.src + train.tgt, config.vocab_size)  # training split only
    config = replace(config, vocab_size=tok.get_vocab_size())
    src, tgt = encode_pairs(tok, train, config.max_len)
    say = log or (lambda _msg: None)
    say(f"training a {direction} Transformer ({preset_name}) on {len(src)} pairs, "
        f"vocabulary {config.vocab_size}")
    model, history = train_translator(config, src, tgt, on_epoch=lambda e, row: say(
        f"epoch {e + 1}: loss {row['loss']:.3f}, {row['steps']} steps, "
        f"{time.perf_counter() - started:.0f} s"))
    info = {"direction": direction, "preset": preset_name, "pairs": len(src),
            "seconds": round(time.perf_counter() - started, 1),
            "steps": len(history["loss"]), "final_loss": history["epoch_loss"][-1],
            "config": asdict(config)}
    return Translator(model, tok, direction, info)


def _slice(pairs: Pairs, n: int) -> Pairs:
    """An even spread of n pairs over the books plus the first dictionary words, so a tiny
    preset sees both verses and single words."""
    step = max(1, len(pairs) // n)
    return Pairs(pairs.src[::step][:n], pairs.tgt[::step][:n])


def save(translator: Translator, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    translator.tokenizer.save(str(folder / "tokenizer.json"))
    torch.save(translator.model.state_dict(), folder / "model.pt")
    (folder / "info.json").write_text(json.dumps(translator.info, indent=1), encoding="utf-8")


def load(folder: Path) -> Translator:
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    config = TrainConfig(**info["config"])
    model = build_model(config.model_config(), seed=0)
    model.load_state_dict(torch.load(folder / "model.pt", weights_only=True))
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    return Translator(model, tok, str(info["direction"]), info)
