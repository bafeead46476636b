"""Definition-of-Done checks for Project 4, run against the learner's ``charlm/`` package.

The package must define ``CharLM`` (``forward(x, state) -> (logits, state)`` and
``init_state(batch_size)``), ``TrainConfig`` (with ``seq_len``, ``batch_size``, ``steps``,
``lr``, ``clip``, ``seed``), ``train_tbptt(model, data, config)`` returning a history
with ``loss`` and ``grad_norm``, and ``sample(model, prime, length, *, temperature,
top_k, generator)``. The checks measure what the code does (perplexity with their own
evaluation loop, gradient norms at the optimiser's step, the states passed between
windows, sampled frequencies) rather than trusting what it reports.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.optimizer import register_optimizer_step_pre_hook

from buildreal.projects.base import CheckResult
from buildreal.projects.data import DataUnavailable, load_shakespeare
from buildreal.projects.p4_charlm.corpus import Vocab
from buildreal.projects.sandbox import Failed, Judge, load_package, require

PACKAGE = "charlm"
DOD = (
    "Perplexity decreases during training",
    "Gradient clipping bounds the gradient norm",
    "The hidden state is carried across truncated windows and detached between them",
    "Sampling respects temperature and top-k",
    "Results are reproducible with a seed",
)
HIDDEN = 64
SMALL = {"seq_len": 32, "batch_size": 16, "lr": 3e-3, "clip": 1.0}


def _texts() -> tuple[Vocab, torch.Tensor, torch.Tensor]:
    """60,000 characters of one play to train on and 8,000 of another to validate on."""
    try:
        works = load_shakespeare()
    except DataUnavailable as exc:
        raise Failed(f"cannot judge without the data: {exc}") from exc
    train, val = works["hamlet"][:60_000], works["macbeth"][:8_000]
    vocab = Vocab.from_texts(train, val)
    ids = lambda t: torch.from_numpy(vocab.encode_array(t))  # noqa: E731
    return vocab, ids(train), ids(val)


_GRAPH_ERRORS = ("backward through the graph a second time", "modified by an inplace operation")


def _train(train_tbptt: object, model: nn.Module, data: torch.Tensor, config: object) -> dict:
    """Run the learner's training; the classic crash of an undetached state is named."""
    try:
        return train_tbptt(model, data, config)  # type: ignore[operator]
    except RuntimeError as exc:
        if any(text in str(exc) for text in _GRAPH_ERRORS):
            raise Failed("training crashed in backward() on the second window: the hidden "
                         "state carried in from the previous window still holds its graph. "
                         "Detach it between windows (state.detach(), or each tensor of an "
                         f"LSTM's (h, c)). PyTorch said: {str(exc)[:120]}") from exc
        raise


def _config(pkg: ModuleType, **fields: object) -> object:
    (config_cls,) = require(pkg, "TrainConfig")
    config = config_cls()
    unknown = [k for k in fields if not hasattr(config, k)]
    if unknown:
        raise Failed(f"TrainConfig has no field {', '.join(unknown)}")
    return dataclasses.replace(config, **fields)


def _model(pkg: ModuleType, vocab_size: int, seed: int = 0) -> nn.Module:
    (char_lm,) = require(pkg, "CharLM")
    torch.manual_seed(seed)
    return char_lm(vocab_size, hidden_size=HIDDEN)


@torch.no_grad()
def _val_nats(model: nn.Module, val: torch.Tensor, seq_len: int = 100) -> float:
    """The checker's own evaluation: one stream, state carried, next-character targets."""
    model.eval()
    total, count, state = 0.0, 0, None
    for pos in range(0, len(val) - 1, seq_len):
        x = val[pos : pos + seq_len][None]  # (1, T)
        y = val[pos + 1 : pos + seq_len + 1][None]
        x = x[:, : y.shape[1]]
        logits, state = model(x, state)
        if tuple(logits.shape) != (*y.shape, logits.shape[-1]):
            raise Failed(f"model(x) returned logits of shape {tuple(logits.shape)} for x of "
                         f"shape {tuple(x.shape)}; expected (batch, time, vocabulary)")
        total += F.cross_entropy(logits[0], y[0], reduction="sum").item()
        count += y.numel()
    model.train()
    return total / count


def check_perplexity(pkg: ModuleType, vocab: Vocab, train: torch.Tensor,
                     val: torch.Tensor) -> str:
    (train_tbptt,) = require(pkg, "train_tbptt")
    model = _model(pkg, len(vocab))
    before = math.exp(_val_nats(model, val))
    _train(train_tbptt, model, train, _config(pkg, steps=150, seed=0, **SMALL))
    after = math.exp(_val_nats(model, val))
    if not after < 0.6 * before:
        raise Failed(f"validation perplexity went from {before:.1f} to {after:.1f} after 150 "
                     "steps on 60,000 characters of Hamlet (needs to fall below 60% of the "
                     "start). Are the targets the inputs shifted by one character?")
    return f"validation perplexity {before:.1f} -> {after:.1f} in 150 steps"


def check_clipping(pkg: ModuleType, vocab: Vocab, train: torch.Tensor) -> str:
    (train_tbptt,) = require(pkg, "train_tbptt")
    model = _model(pkg, len(vocab))
    clip = 0.01  # far below a fresh model's gradient norm, so clipping must act
    seen: list[float] = []

    def at_step(optimizer: torch.optim.Optimizer, args: object, kwargs: object) -> None:
        grads = [p.grad for g in optimizer.param_groups for p in g["params"]
                 if p.grad is not None]
        if grads:
            seen.append(torch.linalg.vector_norm(
                torch.stack([torch.linalg.vector_norm(g) for g in grads])).item())

    handle = register_optimizer_step_pre_hook(at_step)
    try:
        history = _train(train_tbptt, model, train,
                         _config(pkg, steps=12, seed=0, **{**SMALL, "clip": clip}))
    finally:
        handle.remove()
    if not seen:
        raise Failed("train_tbptt never called optimizer.step() (or no parameter had a "
                     "gradient when it did)")
    worst = max(seen)
    if worst > clip * 1.001 + 1e-7:
        step = next(i for i, n in enumerate(seen) if n > clip * 1.001 + 1e-7)
        raise Failed(f"at optimizer step {step + 1} the gradient norm was {worst:.3g} with "
                     f"clip={clip}: call clip_grad_norm_ after backward() and before step()")
    norms = list(history.get("grad_norm", [])) if isinstance(history, dict) else []
    if len(norms) != len(seen) or max(norms, default=0.0) <= clip:
        raise Failed("the history's grad_norm should hold one norm per step, measured before "
                     f"clipping (got {len(norms)} values for {len(seen)} steps, largest "
                     f"{max(norms, default=0.0):.3g}); clip_grad_norm_ returns it")
    return (f"gradient norm at every step <= clip {clip} (largest before clipping "
            f"{max(norms):.3g})")


def _flat(state: object) -> list[torch.Tensor]:
    if isinstance(state, torch.Tensor):
        return [state]
    if isinstance(state, (tuple, list)):
        return [t for s in state for t in _flat(s)]
    return []


def check_state_handling(pkg: ModuleType, vocab: Vocab, train: torch.Tensor) -> str:
    (train_tbptt,) = require(pkg, "train_tbptt")
    model = _model(pkg, len(vocab))
    calls: list[tuple[list[torch.Tensor], list[torch.Tensor]]] = []
    original = model.forward

    def recording_forward(x: torch.Tensor, state: object = None, *args: object,
                          **kwargs: object) -> object:
        logits, new_state = original(x, state, *args, **kwargs)
        if torch.is_grad_enabled():
            calls.append((_flat(state), _flat(new_state)))
        return logits, new_state

    model.forward = recording_forward  # type: ignore[method-assign]
    crash: Failed | None = None
    try:
        _train(train_tbptt, model, train, _config(pkg, steps=4, seed=0, **SMALL))
    except Failed as exc:  # judge the states recorded before the crash first
        crash = exc
    if len(calls) < 2:
        if crash is not None:
            raise crash
        raise Failed(f"train_tbptt ran {len(calls)} forward pass(es) with gradients for 4 "
                     "steps; expected one per window")
    for i in range(1, len(calls)):
        given, previous = calls[i][0], calls[i - 1][1]
        window = i + 1
        if not given or all(float(t.detach().abs().max()) == 0.0 for t in given):
            raise Failed(f"window {window} started from a fresh (zero) hidden state: pass the "
                         "state returned by the previous window into the next one")
        same = len(given) == len(previous) and all(
            g.shape == p.shape and torch.allclose(g.detach(), p.detach())
            for g, p in zip(given, previous, strict=True))
        if not same:
            raise Failed(f"the state passed into window {window} is not the state the previous "
                         "window returned")
        tracked = [t for t in given if t.grad_fn is not None or t.requires_grad]
        if tracked:
            raise Failed(f"the state passed into window {window} still carries its autograd "
                         f"graph (grad_fn={tracked[0].grad_fn}): detach it between windows, "
                         "or every backward() runs through all earlier windows")
    if crash is not None:
        raise crash
    return f"{len(calls)} windows: each started from the previous state, detached"


class _FixedLM(nn.Module):
    """Ignores its input: the next-character logits are always ``LOGITS``."""

    LOGITS = torch.tensor([2.0, 1.0, 0.5, 0.0, -1.0])

    def __init__(self) -> None:
        super().__init__()
        self.anchor = nn.Parameter(torch.zeros(()))  # so .parameters() is not empty

    def init_state(self, batch_size: int) -> torch.Tensor:
        return torch.zeros(1, batch_size, 1)

    def forward(self, x: torch.Tensor, state: object = None) -> tuple[torch.Tensor, object]:
        logits = self.LOGITS.expand(x.shape[0], x.shape[1], -1) + self.anchor  # (B, T, 5)
        return logits, state if state is not None else self.init_state(x.shape[0])


def _frequencies(ids: list[int], k: int) -> torch.Tensor:
    return torch.bincount(torch.tensor(ids, dtype=torch.int64), minlength=k).float() / len(ids)


def check_sampling(pkg: ModuleType) -> str:
    (sample,) = require(pkg, "sample")
    model, n = _FixedLM(), 3000
    fmt = lambda t: "[" + ", ".join(f"{v:.2f}" for v in t.tolist()) + "]"  # noqa: E731
    for temperature in (0.5, 2.0):
        ids = sample(model, [0], n, temperature=temperature, top_k=None,
                     generator=torch.Generator().manual_seed(1))
        if len(ids) != n:
            raise Failed(f"sample(..., length={n}) returned {len(ids)} ids")
        got = _frequencies(list(ids), 5)
        want = torch.softmax(_FixedLM.LOGITS / temperature, 0)
        tv = 0.5 * (got - want).abs().sum().item()
        if tv > 0.05:
            why = (f"at temperature {temperature} the sampled frequencies {fmt(got)} are far "
                   f"from softmax(logits / {temperature}) = {fmt(want)} (total variation "
                   f"{tv:.2f})")
            times = torch.softmax(_FixedLM.LOGITS * temperature, 0)
            if 0.5 * (got - times).abs().sum().item() < 0.05:
                why += ": the logits were multiplied by the temperature instead of divided"
            raise Failed(why)
    ids = sample(model, [0], n, temperature=1.0, top_k=2,
                 generator=torch.Generator().manual_seed(2))
    outside = sum(1 for i in ids if i not in (0, 1))
    if outside:
        raise Failed(f"with top_k=2 only the two likeliest characters may be drawn, but "
                     f"{outside} of {n} samples were others")
    return "frequencies match softmax(logits / T) at T = 0.5 and 2; top_k=2 keeps 2 characters"


def check_reproducible(pkg: ModuleType, vocab: Vocab, train: torch.Tensor) -> str:
    train_tbptt, sample = require(pkg, "train_tbptt", "sample")
    base = _model(pkg, len(vocab), seed=5)
    runs = []
    for scramble in (11, 12):
        model = copy.deepcopy(base)
        torch.manual_seed(scramble)  # a different global state before each run
        history = _train(train_tbptt, model, train, _config(pkg, steps=6, seed=3, **SMALL))
        runs.append((model, history))
    (m1, h1), (m2, h2) = runs
    for (name, p1), p2 in zip(m1.state_dict().items(), m2.state_dict().values(), strict=True):
        if not torch.equal(p1, p2):
            raise Failed(f"two runs with seed 3 from the same initial weights end with different "
                         f"weights ({name}): seed torch and every generator (dropout, window "
                         "offsets) from config.seed")
    if list(h1.get("loss", [])) != list(h2.get("loss", [])):
        raise Failed("two runs with seed 3 report different losses")
    prime = vocab.encode("Once upon")
    texts = [sample(m1, prime, 40, temperature=1.0, top_k=None,
                    generator=torch.Generator().manual_seed(9)) for _ in range(2)]
    if list(texts[0]) != list(texts[1]):
        raise Failed("sample with the same seeded generator gave different text: draw every "
                     "random number from the generator argument")
    return "same seed, same weights, same losses and same samples"


def run_checks(learner_dir: Path) -> Iterator[CheckResult]:
    """Judge ``learner_dir/charlm``; yields one result per DoD item, in ``DOD`` order."""
    judge = Judge(learner_dir)
    loaded: dict[str, object] = {}

    def pkg() -> ModuleType:
        if "pkg" not in loaded:
            torch.set_num_threads(1)  # tiny workloads; a shared CPU punishes spin-waits
            loaded["pkg"] = load_package(learner_dir, PACKAGE)
        return loaded["pkg"]  # type: ignore[return-value]

    def texts() -> tuple[Vocab, torch.Tensor, torch.Tensor]:
        if "texts" not in loaded:
            loaded["texts"] = _texts()
        return loaded["texts"]  # type: ignore[return-value]

    steps = (
        (3, lambda: check_perplexity(pkg(), *texts())),
        (2, lambda: check_clipping(pkg(), *texts()[:2])),
        (1, lambda: check_state_handling(pkg(), *texts()[:2])),
        (4, lambda: check_sampling(pkg())),
        (1, lambda: check_reproducible(pkg(), *texts()[:2])),
    )
    for dod, (hint, check) in zip(DOD, steps, strict=True):
        yield judge.run(dod, hint, check)
