"""A lesson as a Jupyter notebook, written from the same Markdown the page shows.

Learners who want to run and change the code download the lesson instead of copying it
block by block. The notebook is generated, never stored in the pack, so it cannot drift
from the page: prose becomes Markdown cells, each runnable ``python`` block a code cell
(with the built output of ``python exec`` blocks), a ``::: predict`` a question, its code
(output left for the learner to produce) and a link to its explanation on the page (shown
there once a prediction is typed, never in the download), and a widget a pointer to the
page. Links are rewritten to the site's addresses by the caller's
``link_for``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from functools import lru_cache

import nbformat
from markdown_it.token import Token
from nbformat.notebooknode import NotebookNode

from buildreal.packs.execute import BlockOutput
from buildreal.packs.markdown import (
    CALLOUT_TITLES,
    CONTAINER_RE,
    EXEC,
    NO_RUN,
    PREDICT,
    PYTHON_LANGUAGES,
    WIDGET,
    fence_language,
    shared_parser,
    split_callout_info,
)
from buildreal.packs.model import Item

OutputFor = Callable[[str], "BlockOutput | None"]
FileReader = Callable[[str, str], "bytes | None"]  # (key, name) -> the saved file
LinkFor = Callable[[str], str]  # a pack link target (item:..., glossary:..., figures/...)

NOTEBOOK_KINDS = ("lesson", "page")
_LINK = re.compile(r"(\]\()((?:item|glossary):[^)\s]*|figures/[^)\s]+)(\))")


@lru_cache(maxsize=512)  # asked on every lesson page view: parse each text once
def runnable_code(text: str) -> bool:
    """Whether ``text`` has a Python block a learner could run (what earns a notebook)."""
    for token in shared_parser().parse(text):
        if token.type == "fence":
            language, flags = fence_language(token.info)
            if language in PYTHON_LANGUAGES and NO_RUN not in flags:
                return True
    return False


def has_notebook(item: Item) -> bool:
    return item.kind in NOTEBOOK_KINDS and bool(item.body) and runnable_code(item.body)


def _outputs(output: BlockOutput | None, read_file: FileReader | None) -> list[NotebookNode]:
    if output is None:
        return []
    cells: list[NotebookNode] = []
    if output.text:
        cells.append(nbformat.v4.new_output("stream", name="stdout", text=output.text))
    for name in output.files:
        data = read_file(output.key, name) if read_file else None
        if data is None:
            continue
        if name.lower().endswith(".png"):
            bundle = {"image/png": base64.b64encode(data).decode("ascii")}
        else:
            bundle = {"image/svg+xml": data.decode("utf-8", errors="replace")}
        cells.append(nbformat.v4.new_output("display_data", data=bundle))
    return cells


class _Builder:
    def __init__(self, lines: list[str], link_for: LinkFor | None,
                 outputs: OutputFor | None, read_file: FileReader | None,
                 item_id: str = "") -> None:
        self.lines = lines
        self.item_id = item_id
        self.link_for = link_for
        self.outputs = outputs
        self.read_file = read_file
        self.cells: list[NotebookNode] = []
        self.prose: list[str] = []

    def text(self, start: int, stop: int) -> None:
        self.prose.extend(self.lines[start:stop])

    def markdown(self, text: str) -> None:
        self.flush()
        self.cells.append(nbformat.v4.new_markdown_cell(self._links(text.strip("\n"))))

    def flush(self) -> None:
        text = "\n".join(self.prose).strip("\n")
        self.prose = []
        if text.strip():
            self.cells.append(nbformat.v4.new_markdown_cell(self._links(text)))

    def code(self, code: str, output: BlockOutput | None) -> None:
        self.flush()
        cell = nbformat.v4.new_code_cell(code.rstrip("\n"))
        cell.outputs = _outputs(output, self.read_file)
        self.cells.append(cell)

    def _links(self, text: str) -> str:
        if self.link_for is None:
            return text
        link_for = self.link_for
        return _LINK.sub(lambda m: f"{m.group(1)}{link_for(m.group(2))}{m.group(3)}", text)


def _block_end(tokens: list[Token], index: int) -> int:
    """Index of the token closing the container opened at ``index``."""
    level = tokens[index].level
    end = index + 1
    while end < len(tokens) and not (tokens[end].type == "container_callout_close"
                                     and tokens[end].level == level):
        end += 1
    return end


def _callout_heading(info: str) -> str:
    kind, label = split_callout_info(info)
    title = CALLOUT_TITLES.get(kind, kind)
    return f"**{title}: {label}**" if label else f"**{title}**"


def _plain_callout_lines(lines: list[str]) -> list[str]:
    """Nested ``:::`` markers as bold headings (opening) or nothing (closing)."""
    plain = []
    for line in lines:
        match = CONTAINER_RE.match(line)
        if match is None:
            plain.append(line)
        elif match.group(2):
            plain.extend(["", _callout_heading(match.group(2)), ""])
    return plain


def _container(builder: _Builder, tokens: list[Token], index: int, start: int,
               stop: int) -> None:
    # The container's map ends before its closing ':::' line (the caller skips that line).
    kind, label = split_callout_info(tokens[index].info)
    inner = tokens[index + 1:_block_end(tokens, index)]
    body_stop = stop
    if kind == PREDICT:
        fence = next((t for t in inner if t.type == "fence"), None)
        builder.markdown(f"**Predict, then run:** {label}\n\nWrite down your prediction, "
                         f"then run the next cell.")
        if fence is not None and fence.map:
            builder.code(fence.content, None)
            # The explanation is the exercise's answer: the page shows it only once a
            # prediction is typed, so the notebook links there instead of carrying it.
            ordinal = sum(1 for t in tokens[:index + 1] if t.type == "container_callout_open"
                          and split_callout_info(t.info)[0] == PREDICT)
            builder.markdown(f"Then compare with the explanation under this exercise on "
                             f"[the lesson page](item:{builder.item_id}#predict-{ordinal}), "
                             f"shown once you type your prediction there.")
        return
    if kind == WIDGET:
        builder.markdown(f"*Interactive figure ({label}): open this lesson on the site to "
                         f"use it.*\n\n" + "\n".join(builder.lines[start + 1:body_stop]))
        return
    builder.prose.extend(["", _callout_heading(tokens[index].info), ""])
    builder.prose.extend(_plain_callout_lines(builder.lines[start + 1:body_stop]))
    builder.prose.append("")


def build_notebook(item: Item, *, link_for: LinkFor | None = None,
                   outputs: OutputFor | None = None,
                   read_file: FileReader | None = None) -> NotebookNode:
    """The notebook of one Markdown item (see the module docstring for the mapping)."""
    text = item.body
    lines = text.splitlines()
    tokens = shared_parser().parse(text)
    builder = _Builder(lines, link_for, outputs, read_file, item.id)
    if not text.lstrip().startswith("# "):
        builder.prose.extend([f"# {item.title}", ""])
    cursor = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.nesting == -1 or not token.map:
            index += 1
            continue
        start, stop = token.map
        builder.text(cursor, start)
        if token.type == "fence":
            language, flags = fence_language(token.info)
            if language in PYTHON_LANGUAGES and NO_RUN not in flags:
                output = outputs(token.content) if outputs and EXEC in flags else None
                builder.code(token.content, output)
            else:
                # Shown, not run: a fenced block in the prose, without the pack's flags.
                opening = lines[start].replace(token.info.strip(), language, 1)
                builder.prose.append(opening)
                builder.text(start + 1, stop)
        elif token.type == "container_callout_open":
            _container(builder, tokens, index, start, stop)
            index = _block_end(tokens, index)
            if stop < len(lines) and CONTAINER_RE.match(lines[stop]):
                stop += 1  # the closing ':::' line
        else:
            builder.text(start, stop)
        cursor = stop
        index += 1
    builder.text(cursor, len(lines))
    builder.flush()
    notebook = nbformat.v4.new_notebook(cells=builder.cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["buildreal"] = {"item": item.id, "content_hash": item.content_hash}
    return notebook


def notebook_json(notebook: NotebookNode) -> str:
    """The ``.ipynb`` text, validated against the notebook schema first."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
