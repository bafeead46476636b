"""Deliberately broken copies of the Project 5 reference, one realistic bug each.

Each variant is a small edit of a file of the reference ``translator/`` package; the test
applies it to a copy (failing loudly if the text is gone) and runs the checks: the named
check must fail, under the named Definition-of-Done item, with a reason containing
``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p5_translator.checks import DOD_ATTENTION, DOD_STABLE, DOD_TRANSLATES


@dataclass(frozen=True)
class Variant:
    name: str
    file: str
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


SCORES = "scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (B, H, Tq, Tk)"
SOFTMAX = "weights = torch.softmax(scores, dim=-1)  # over the keys: one distribution per query"
MASKED_SOFTMAX = f"""if mask is not None:
        # Masked before the softmax, so the remaining weights still sum to 1.
        scores = scores.masked_fill(~mask, float("-inf"))
    {SOFTMAX}"""
CAUSAL = "return torch.ones(length, length, dtype=torch.bool, device=device).tril()[None, None]"
DEC_EMBED = "y = self._embed(tgt_in)"
CROSS = "y = y + self.drop(self.cross_attn(self.norm2(y), memory, src_mask))"

VARIANTS = (
    Variant("scores not scaled by sqrt(d_k)", "attention.py", SCORES,
            "scores = q @ k.transpose(-2, -1)  # (B, H, Tq, Tk)",
            "Attention equals", "not scaled by sqrt(d_k)", DOD_TRANSLATES),
    Variant("softmax over the queries instead of the keys", "attention.py", SOFTMAX,
            "weights = torch.softmax(scores, dim=-2)",
            "Attention rows sum to 1", "over the queries", DOD_TRANSLATES),
    Variant("mask applied after the softmax", "attention.py", MASKED_SOFTMAX,
            "weights = torch.softmax(scores, dim=-1)\n"
            "    if mask is not None:\n        weights = weights.masked_fill(~mask, 0.0)",
            "Attention rows sum to 1", "after the softmax", DOD_TRANSLATES),
    Variant("causal mask off by one (a position sees the next token)", "attention.py",
            CAUSAL,
            "return torch.ones(length, length, dtype=torch.bool, device=device)"
            ".tril(1)[None, None]",
            "The causal mask holds", "a position sees tokens after it", DOD_TRANSLATES),
    Variant("causal mask off by one, caught by the mask check", "attention.py", CAUSAL,
            "return torch.ones(length, length, dtype=torch.bool, device=device)"
            ".tril(1)[None, None]",
            "Padding and causal masks", "off by one", DOD_TRANSLATES),
    Variant("decoder self-attention without the causal mask", "model.py",
            "tgt_mask = causal_mask(t, tgt_in.device) & padding_mask(tgt_in, self.config.pad_id)",
            "tgt_mask = padding_mask(tgt_in, self.config.pad_id)",
            "The causal mask holds", "a position sees tokens after it", DOD_TRANSLATES),
    Variant("padding mask on the query axis", "attention.py",
            "return (ids != pad_id)[:, None, None, :]",
            "return (ids != pad_id)[:, None, :, None]",
            "Padding and causal masks", "wrong axis", DOD_TRANSLATES),
    Variant("cross-attention without the source padding mask", "model.py", CROSS,
            "y = y + self.drop(self.cross_attn(self.norm2(y), memory, None))",
            "Padding is ignored", "attention still reads padding", DOD_TRANSLATES),
    Variant("decoder reads padded source tokens (seen in the attention maps)", "model.py",
            CROSS, "y = y + self.drop(self.cross_attn(self.norm2(y), memory, None))",
            "Cross-attention weights", "attends to padded source", DOD_ATTENTION),
    Variant("positional encoding added to the encoder only", "model.py", DEC_EMBED,
            "y = self.drop(self.embed(tgt_in) * math.sqrt(self.config.d_model))",
            "Word order matters", "decoder gets no positions", DOD_TRANSLATES),
    Variant("padding counted in the loss", "train.py", "return per_token[keep].mean()",
            "return per_token.mean()",
            "The loss is label-smoothed", "counts padding", DOD_TRANSLATES),
    Variant("no warm-up: the schedule starts at its peak", "train.py",
            "return peak * min(s / warmup_steps, math.sqrt(warmup_steps / s))",
            "return peak * min(1.0, math.sqrt(warmup_steps / s))",
            "The learning rate warms up", "no warm-up", DOD_STABLE),
    Variant("batch order drawn from an unseeded generator", "train.py",
            "gen = torch.Generator().manual_seed(config.seed)  # batch order",
            "gen = torch.Generator()\n    gen.seed()  # seeded from the clock",
            "A fixed seed reproduces", "two runs with seed 0 differ", DOD_STABLE),
    Variant("padding mask with the wrong polarity (True on padding)", "attention.py",
            "return (ids != pad_id)[:, None, None, :]",
            "return (ids == pad_id)[:, None, None, :]",
            "Padding and causal masks", "your padding mask is inverted", DOD_TRANSLATES),
    Variant("heads split with a plain view that mixes positions", "attention.py",
            "return x.view(b, t, self.heads, self.d_k).transpose(1, 2)",
            "return x.view(b, self.heads, t, self.d_k)",
            "The causal mask holds", "splitting and merging the heads", DOD_TRANSLATES),
    Variant("label smoothing sums over the vocabulary instead of averaging", "train.py",
            "uniform = -logp.mean(dim=-1)", "uniform = -logp.sum(dim=-1)",
            "The loss is label-smoothed", "sums -log p over the vocabulary", DOD_TRANSLATES),
    Variant("greedy decoding stops the whole batch when one sentence ends", "decode.py",
            "        if bool(done.all()):", "        if bool(done.any()):",
            "A tiny batch is memorised", "right alone", DOD_TRANSLATES),
    Variant("train_translator builds the model with a fixed seed", "train.py",
            "model = build_model(config.model_config(), seed=config.seed)",
            "model = build_model(config.model_config(), seed=0)",
            "A fixed seed reproduces", "same initial weights with seed 0 and seed 1",
            DOD_STABLE),
)
