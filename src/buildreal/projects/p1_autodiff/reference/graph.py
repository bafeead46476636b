"""Print a computation graph as Graphviz dot text (render with `dot -Tsvg`)."""

from __future__ import annotations

from .engine import Tensor


def _fmt(t: Tensor) -> str:
    if t.data.size == 1:
        value = f"{float(t.data.reshape(-1)[0]):.4g}"
        grad = "" if t.grad is None else f" | grad {float(t.grad.reshape(-1)[0]):.4g}"
        return value + grad
    return f"shape {t.data.shape}"


def to_dot(root: Tensor) -> str:
    """One box per tensor (label, value, gradient) and one ellipse per operation, with
    edges in the direction of the forward computation."""
    lines = ["digraph autodiff {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    order = root.topological_order()
    ids = {id(node): f"n{i}" for i, node in enumerate(order)}  # stable, readable names
    for node in order:
        nid = ids[id(node)]
        name = f"{node.label} | " if node.label else ""
        lines.append(f'  {nid} [shape=record, label="{{ {name}{_fmt(node)} }}"];')
        if node._parents:
            op_id = f"{nid}_op"
            op = node.op.replace('"', r"\"")
            lines.append(f'  {op_id} [shape=ellipse, label="{op}"];')
            lines.append(f"  {op_id} -> {nid};")
            for parent in node._parents:
                if parent.requires_grad:
                    lines.append(f"  {ids[id(parent)]} -> {op_id};")
    lines.append("}")
    return "\n".join(lines) + "\n"
