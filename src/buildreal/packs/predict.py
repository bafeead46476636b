"""``::: predict`` exercises: the question, the code and the explanation of each.

The renderer shows the question and the code and leaves a slot; the site fills the slot
with a prediction form and, once the learner reveals, the real output and the
explanation. This module finds those parts in an item's Markdown; a block is named by its
ordinal (1, 2, ... in the order it appears), which is how a stored prediction refers to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from buildreal.packs.markdown import PREDICT, shared_parser, split_callout_info


@dataclass(frozen=True)
class PredictBlock:
    ordinal: int  # 1-based, in the order the blocks appear in the item
    question: str  # Markdown (one line)
    code: str
    explanation: str  # Markdown, shown with the output on reveal
    line: int  # 0-based line of the ``::: predict`` within the text


def predict_blocks(text: str) -> list[PredictBlock]:
    """Every well-formed ``::: predict`` of ``text`` (the validator reports the others)."""
    # Parsed once per text: a lesson page asks on every request (issue 11, throughput).
    return list(_predict_blocks(text))


@lru_cache(maxsize=512)
def _predict_blocks(text: str) -> tuple[PredictBlock, ...]:
    lines = text.splitlines()
    tokens = shared_parser().parse(text)
    found: list[PredictBlock] = []
    ordinal = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.type != "container_callout_open" \
                or split_callout_info(token.info)[0] != PREDICT:
            continue
        ordinal += 1  # counted like the renderer counts, malformed or not
        end = index
        while end < len(tokens) and not (tokens[end].type == "container_callout_close"
                                         and tokens[end].level == token.level):
            end += 1
        fences = [t for t in tokens[index:end] if t.type == "fence"]
        start_line = token.map[0] if token.map else 0
        stop_line = token.map[1] if token.map else len(lines)
        index = end + 1
        if not fences or not fences[0].map:
            continue
        body = lines[fences[0].map[1]:stop_line]
        if body and body[-1].strip().startswith(":::"):
            body = body[:-1]
        found.append(PredictBlock(
            ordinal=ordinal, question=split_callout_info(token.info)[1],
            code=fences[0].content, explanation="\n".join(body).strip() + "\n",
            line=start_line))
    return tuple(found)
