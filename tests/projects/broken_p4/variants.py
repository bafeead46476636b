"""Deliberately broken copies of the Project 4 reference, one realistic bug each.

Each variant is a one-line edit of a file of the reference ``charlm/`` package; the test
applies it to a copy (failing loudly if the line is gone) and runs the checks: the named
Definition-of-Done item must fail with a reason containing ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    file: str
    old: str
    new: str
    fails: str  # the DoD item that must fail (a prefix of it)
    says: str  # a fragment the failure reason must contain


VARIANTS = (
    Variant(
        "targets are the inputs, not the next characters",
        "train.py",
        "y = streams[:, pos + 1 : pos + cfg.seq_len + 1]",
        "y = streams[:, pos : pos + cfg.seq_len]",
        "Perplexity decreases during training",
        "Are the targets the inputs shifted by one",
    ),
    Variant(
        "gradients clipped after the optimiser step",
        "train.py",
        "        norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm))\n"
        "        opt.step()\n",
        "        opt.step()\n"
        "        norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm))\n",
        "Gradient clipping bounds the gradient norm",
        "before step()",
    ),
    Variant(
        "hidden state reset at every window",
        "train.py",
        "logits, state = model(x, state)  # (B, T, V)",
        "logits, state = model(x, None)  # (B, T, V)",
        "The hidden state is carried",
        "fresh (zero) hidden state",
    ),
    Variant(
        "hidden state carried without detaching",
        "train.py",
        "            state = detach_state(state)  # carry the values, cut the graph",
        "            pass  # the state keeps its graph",
        "The hidden state is carried",
        "still carries its autograd graph",
    ),
    Variant(
        "temperature multiplies the logits",
        "sample.py",
        "scaled = last / temperature",
        "scaled = last * temperature",
        "Sampling respects temperature",
        "multiplied by the temperature instead of divided",
    ),
    Variant(
        "top-k ignored",
        "sample.py",
        "if top_k is not None and top_k < scaled.numel():",
        "if False:",
        "Sampling respects temperature",
        "top_k=2",
    ),
    Variant(
        "dropout not seeded",
        "train.py",
        "    torch.manual_seed(cfg.seed)  # dropout\n",
        "",
        "Results are reproducible",
        "two runs with seed 3",
    ),
)
