"""Deliberately broken copies of the Project 6 reference, one realistic bug each.

Each variant is a small edit of a file of the reference ``encoder/`` package; the test
applies it to a copy (failing loudly if the text is gone) and runs the checks: the named
check must fail, under the named Definition-of-Done item, with a reason containing
``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p6_search.checks import DOD_CLUSTER, DOD_INDEX, DOD_METRICS, DOD_REPRO


@dataclass(frozen=True)
class Variant:
    name: str
    file: str
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


LOGITS = "logits = queries @ docs.T / temperature"
LABELS = "labels = torch.arange(len(queries), device=queries.device)"
BACKWARD = "loss = (loss + F.cross_entropy(logits.T, labels)) / 2"
NORMALISE = "return F.normalize(self.proj(pooled), dim=-1)"
POOL = "pooled = summed / weights.sum(dim=1).clamp(min=1e-6)"
MRR = "return float(np.mean(1.0 / target_ranks(scores, targets)))"
RECALL = "return float(np.mean(target_ranks(scores, targets) <= k))"
SEARCH = "return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)"

VARIANTS = (
    Variant("temperature multiplied instead of divided", "loss.py", LOGITS,
            "logits = queries @ docs.T * temperature",
            "The loss matches", "multiplies the similarities by the temperature", DOD_METRICS),
    Variant("labels not the diagonal", "loss.py", LABELS,
            "labels = torch.zeros(len(queries), dtype=torch.long, device=queries.device)",
            "The loss matches", "not the diagonal", DOD_METRICS),
    Variant("symmetric loss computes one direction twice", "loss.py", BACKWARD,
            "loss = (loss + F.cross_entropy(logits, labels)) / 2",
            "The loss matches", "only one direction", DOD_METRICS),
    Variant("no normalisation before the cosine", "model.py", NORMALISE,
            "return self.proj(pooled)",
            "Embeddings are unit length", "not unit length", DOD_CLUSTER),
    Variant("mean pooling counts the padding", "model.py", POOL,
            "pooled = self.embed(ids).mean(dim=1)",
            "Mean pooling ignores padding", "counts the padding", DOD_CLUSTER),
    Variant("MRR off by one rank", "metrics.py", MRR,
            "return float(np.mean(1.0 / (target_ranks(scores, targets) + 1)))",
            "Retrieval metrics are right", "off by one rank", DOD_METRICS),
    Variant("ties counted in the target's favour", "metrics.py",
            "return (scores >= target_scores).sum(axis=1)  # (Q,)",
            "return 1 + (scores > target_scores).sum(axis=1)  # (Q,)",
            "Retrieval metrics are right", "tie in the target's favour", DOD_METRICS),
    Variant("recall ranked along the wrong axis", "metrics.py", RECALL,
            "top = np.argsort(-scores, axis=0)[:k]  # (k, N)\n"
            "    return float(np.mean((top == targets[None, :]).any(axis=0)))",
            "Retrieval metrics are right", "wrong axis", DOD_METRICS),
    Variant("index recall divided by the queries only", "search.py",
            "return float(np.sum(found) / (len(found) * k))",
            "return float(np.sum(found) / len(found))",
            "Approximate index recall", "recall_vs_exact says", DOD_INDEX),
    Variant("shuffling not seeded", "train.py", "order_rng = random.Random(config.seed)",
            "order_rng = random.Random()",
            "A fixed seed reproduces", "different embeddings", DOD_REPRO),
    Variant("cross-entropy summed over the batch", "loss.py",
            "loss = F.cross_entropy(logits, labels)  # query -> its document",
            'loss = F.cross_entropy(logits, labels, reduction="sum")',
            "The loss matches", "summed over the batch", DOD_METRICS),
    Variant("search answers worst first", "search.py", SEARCH,
            "scores, ids = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)\n"
            "    return scores[:, ::-1], ids[:, ::-1]",
            "Exact search returns", "not best first", DOD_INDEX),
    Variant("index recall counts neighbours found at the same position only", "search.py",
            "found = [len(set(a) & set(e))",
            "found = [sum(x == y for x, y in zip(a, e, strict=True))",
            "Approximate index recall", "any position", DOD_INDEX),
    Variant("index recall compares the exact ids with themselves", "search.py",
            "k = exact_ids.shape[1]\n",
            "k = exact_ids.shape[1]\n    approx_ids = exact_ids\n",
            "Approximate index recall", "set intersection", DOD_INDEX),
)
