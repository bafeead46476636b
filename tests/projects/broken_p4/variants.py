"""Deliberately broken copies of the Project 4 reference, one realistic bug each.

Each variant is a one-line edit of a file of the reference ``charlm/`` package; the test
applies it to a copy (failing loudly if the line is gone) and runs the checks: the named
Definition-of-Done item must fail with a reason containing ``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p4_charlm.checks import (
    DOD_CLIPPING,
    DOD_PERPLEXITY,
    DOD_REPRO,
    DOD_SAMPLES,
)


@dataclass(frozen=True)
class Variant:
    name: str
    file: str
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


VARIANTS = (
    Variant(
        "targets are the inputs, not the next characters",
        "train.py",
        "y = streams[:, pos + 1 : pos + cfg.seq_len + 1]",
        "y = streams[:, pos : pos + cfg.seq_len]",
        "Perplexity decreases during training",
        "Are the targets the inputs shifted by one",
        DOD_PERPLEXITY,
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
        DOD_CLIPPING,
    ),
    Variant(
        "hidden state reset at every window",
        "train.py",
        "logits, state = model(x, state)  # (B, T, V)",
        "logits, state = model(x, None)  # (B, T, V)",
        "The hidden state is carried",
        "fresh (zero) hidden state",
        DOD_PERPLEXITY,
    ),
    Variant(
        "hidden state carried without detaching",
        "train.py",
        "            state = detach_state(state)  # carry the values, cut the graph",
        "            pass  # the state keeps its graph",
        "The hidden state is carried",
        "still carries its autograd graph",
        DOD_PERPLEXITY,
    ),
    Variant(
        "temperature multiplies the logits",
        "sample.py",
        "scaled = last / temperature",
        "scaled = last * temperature",
        "Sampling respects temperature",
        "multiplied by the temperature instead of divided",
        DOD_SAMPLES,
    ),
    Variant(
        "top-k ignored",
        "sample.py",
        "if top_k is not None and top_k < scaled.numel():",
        "if False:",
        "Sampling respects temperature",
        "top_k=2",
        DOD_SAMPLES,
    ),
    Variant(
        "dropout not seeded",
        "train.py",
        "    torch.manual_seed(cfg.seed)  # dropout\n",
        "",
        "Results are reproducible",
        "two runs with seed 3",
        DOD_REPRO,
    ),
    Variant(
        "top-k keeps one character fewer than k",
        "sample.py",
        "kth = torch.topk(scaled, top_k).values[-1]",
        "kth = torch.topk(scaled, top_k - 1).values[-1]",
        "Sampling respects temperature",
        "top-k must keep the k likeliest characters",
        DOD_SAMPLES,
    ),
    Variant(
        "gradients never cleared between steps",
        "train.py",
        "        opt.zero_grad(set_to_none=True)\n",
        "",
        "Gradients are cleared before each backward pass",
        "gradients are never cleared",
        DOD_PERPLEXITY,
    ),
    Variant(
        "sampling feeds the prime's last character back at every step",
        "sample.py",
        "logits, state = model(torch.tensor([[nxt]]), state)  # (1, 1, V)",
        "logits, state = model(torch.tensor([[prime[-1]]]), state)  # (1, 1, V)",
        "Samples of the trained model use their context",
        "the samples are not using the context",
        DOD_SAMPLES,
    ),
    Variant(
        "training ignores config.seed (dropout and window offsets seeded with 0)",
        "train.py",
        "    torch.manual_seed(cfg.seed)  # dropout\n"
        "    gen = torch.Generator().manual_seed(cfg.seed)",
        "    torch.manual_seed(0)  # dropout\n    gen = torch.Generator().manual_seed(0)",
        "Results are reproducible",
        "config.seed is not used",
        DOD_REPRO,
    ),
    Variant(
        "sampling reads only the prime's last character",
        "sample.py",
        "logits, state = model(torch.tensor([list(prime)]), None)",
        "logits, state = model(torch.tensor([list(prime)[-1:]]), None)",
        "Samples of the trained model use their context",
        "never read the whole prime",
        DOD_SAMPLES,
    ),
    Variant(
        "sampling without model.eval() (dropout on)",
        "sample.py",
        "    model.eval()\n",
        "",
        "Samples of the trained model use their context",
        "call model.eval() before sampling",
        DOD_SAMPLES,
    ),
    Variant(
        "targets flattened time-major, logits batch-major (wrong only with batch > 1)",
        "train.py",
        "loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))",
        "loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.t().reshape(-1))",
        "Perplexity decreases during training",
        "no better than predicting each character by its frequency",
        DOD_PERPLEXITY,
    ),
    Variant(
        "loss summed over time and divided by the batch size only",
        "train.py",
        "loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))",
        "loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1),\n"
        "                               reduction=\"sum\") / y.shape[0]",
        "Perplexity decreases during training",
        "report the mean over every predicted character",
        DOD_PERPLEXITY,
    ),
    Variant(
        "temperature applied to the probabilities after the softmax",
        "sample.py",
        "        probs = torch.softmax(scaled, dim=-1)",
        "        probs = torch.softmax(last, dim=-1) / temperature",
        "Sampling respects temperature",
        "the temperature has no effect",
        DOD_SAMPLES,
    ),
)
