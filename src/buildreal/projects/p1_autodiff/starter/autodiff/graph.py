"""Print a computation graph as Graphviz dot text."""

from __future__ import annotations

from .engine import Tensor


def to_dot(root: Tensor) -> str:
    """Return `digraph { ... }` text with one node per tensor (its value and gradient)
    and an edge from each parent to the tensor it feeds. Render it with
    `dot -Tsvg graph.dot -o graph.svg` (Graphviz) or paste it into an online viewer.
    """
    raise NotImplementedError("TODO: to_dot")
