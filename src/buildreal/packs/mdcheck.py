"""Validation of pack Markdown: callouts, links, figures.

Links to other items and glossary terms can only be checked once the whole course is
read, so they are collected as :class:`Ref` s here and resolved by the loader at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from buildreal.packs.markdown import (
    CALLOUT_KINDS,
    CALLOUT_NEEDS_TEXT,
    CONTAINER_RE,
    EXEC,
    FENCE_RE,
    NO_RUN,
    PREDICT,
    PYTHON_LANGUAGES,
    WIDGET,
    WIDGETS,
    fence_language,
    headings,
    links,
    shared_parser,
    split_callout_info,
)
from buildreal.packs.model import Problem

FIGURE_SUFFIXES = (".svg", ".png")
EXTERNAL_SCHEMES = ("https:", "http:", "mailto:")


@dataclass(frozen=True)
class Ref:
    """A link to resolve once every item is known: ``item:<id>[#anchor]`` or a term."""

    scheme: str  # "item" | "glossary"
    target: str
    anchor: str
    path: Path
    line: int


@dataclass
class MarkdownContext:
    """What checking Markdown needs from the course and what it leaves behind."""

    course_root: Path
    problems: list[Problem]
    refs: list[Ref] = field(default_factory=list)


def _check_callouts(text: str, path: Path, first_line: int, ctx: MarkdownContext) -> None:
    """Every ``:::`` block has a known kind, its required text, and a closing line."""
    open_blocks: list[tuple[int, str, int]] = []  # (colons, kind, file line)
    fence: str | None = None
    for index, raw in enumerate(text.splitlines()):
        line = first_line + index
        fence_match = FENCE_RE.match(raw)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] \
                    and len(fence_match.group(1)) >= len(fence) \
                    and not raw.strip()[len(fence_match.group(1)):].strip():
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        match = CONTAINER_RE.match(raw)
        if not match:
            continue
        colons, info = len(match.group(1)), match.group(2)
        if not info:
            if open_blocks and colons >= open_blocks[-1][0]:
                open_blocks.pop()
            elif not open_blocks:
                ctx.problems.append(Problem(path, line, "':::' closes nothing: no callout "
                                                        "block is open here"))
            continue
        kind, rest = split_callout_info(info)
        if kind not in CALLOUT_KINDS:
            ctx.problems.append(Problem(path, line, f"unknown callout kind '{kind}'; use one "
                                                    f"of: {', '.join(CALLOUT_KINDS)}"))
        elif kind in CALLOUT_NEEDS_TEXT and not rest:
            ctx.problems.append(Problem(path, line, f"'::: {kind}' needs "
                                                    f"{CALLOUT_NEEDS_TEXT[kind]}"))
        elif kind == WIDGET and rest not in WIDGETS:
            ctx.problems.append(Problem(path, line, f"unknown widget '{rest}'; use one of: "
                                                    f"{', '.join(WIDGETS)}"))
        open_blocks.append((colons, kind, line))
    for _colons, kind, line in open_blocks:
        ctx.problems.append(Problem(path, line, f"'::: {kind}' block is never closed: add a "
                                                f"line with ':::' after its text"))


def _check_link(target: str, image: bool, path: Path, line: int,
                ctx: MarkdownContext) -> None:
    if image:
        if not target.startswith("figures/") or "/" in target[len("figures/"):]:
            ctx.problems.append(Problem(path, line, f"image '{target}' is not a generated "
                                                    f"figure: use figures/<name>.svg with a "
                                                    f"script figures/<name>.py"))
            return
        name = target[len("figures/"):]
        stem, dot, suffix = name.rpartition(".")
        if not dot or f".{suffix}" not in FIGURE_SUFFIXES:
            ctx.problems.append(Problem(path, line, f"figure '{target}' must end in .svg or "
                                                    f".png"))
            return
        script = ctx.course_root / "figures" / f"{stem}.py"
        if not script.is_file():
            ctx.problems.append(Problem(path, line, f"figure '{target}' has no script: "
                                                    f"create figures/{stem}.py that writes "
                                                    f"it"))
        return
    for scheme in ("item", "glossary"):
        if target.startswith(f"{scheme}:"):
            rest = target[len(scheme) + 1:]
            ident, _, anchor = rest.partition("#")
            if not ident:
                ctx.problems.append(Problem(path, line, f"link '{target}' names no "
                                                        f"{scheme}"))
                return
            ctx.refs.append(Ref(scheme, ident, anchor, path, line))
            return
    if target.startswith("#") or target.lower().startswith(EXTERNAL_SCHEMES):
        return
    # A relative path ("02-quiz.yaml", "../m2/lesson.md") has no page on the site.
    ctx.problems.append(Problem(path, line, f"link '{target}' goes nowhere on the site: "
                                            f"use item:<id>, item:<id>#heading, "
                                            f"glossary:<term-id>, #heading or an https:// "
                                            f"address"))


PYTHON_FLAGS = (EXEC, NO_RUN)


def _check_fence_flags(tokens: list[Token], path: Path, first_line: int,
                       ctx: MarkdownContext) -> None:
    """A Python fence's flags are ``exec`` or ``no-run``: a typo must not silently run."""
    for token in tokens:
        if token.type != "fence":
            continue
        language, flags = fence_language(token.info)
        if language not in PYTHON_LANGUAGES:
            continue
        line = first_line + (token.map[0] if token.map else 0)
        unknown = sorted(flags - set(PYTHON_FLAGS))
        if unknown:
            ctx.problems.append(Problem(path, line, f"unknown flag '{unknown[0]}' on a python "
                                                    f"code block; use ```python, ```python "
                                                    f"exec (output shown) or ```python no-run "
                                                    f"(never run)"))
        elif EXEC in flags and NO_RUN in flags:
            ctx.problems.append(Problem(path, line, "a python block cannot be both 'exec' and "
                                                    "'no-run'"))


def _predict_problem(inner: list[Token], level: int) -> tuple[str, int | None] | None:
    """What is wrong with the tokens inside one ``::: predict`` (message, 0-based line)."""
    fences = [token for token in inner if token.type in ("fence", "code_block")]
    nested = [token for token in inner if token.type == "container_callout_open"
              and split_callout_info(token.info)[0] == PREDICT]
    if nested:
        return ("a '::: predict' cannot hold another '::: predict'; close the first with "
                "':::' before opening the next", nested[0].map[0] if nested[0].map else None)
    if not fences:
        return ("'::: predict' holds no code block: put exactly one ```python block right "
                "after the '::: predict' line, then the explanation", None)
    if len(fences) > 1:
        second = fences[1]
        return (f"'::: predict' holds {len(fences)} code blocks; it takes exactly one "
                f"```python block (then the explanation)",
                second.map[0] if second.map else None)
    code = fences[0]
    line = code.map[0] if code.map else None
    language, flags = fence_language(code.info) if code.type == "fence" else ("", set())
    if language not in PYTHON_LANGUAGES:
        return (f"the code block of '::: predict' must be ```python (it is "
                f"'{code.info.strip() or 'unlabelled'}')", line)
    if NO_RUN in flags:
        return ("the code block of '::: predict' is run to show its output: drop 'no-run'",
                line)
    top = [token for token in inner if token.level == level + 1 and token.nesting >= 0]
    if top and top[0] is not code:
        return ("'::: predict' must start with its ```python block; move the text before "
                "it out of the container or into the explanation after the code",
                top[0].map[0] if top[0].map else None)
    after = inner[inner.index(code) + 1:]
    if not any(token.type == "inline" and token.content.strip() for token in after) \
            and not any(token.type.startswith("math_block") for token in after):
        return ("'::: predict' has no explanation: after the ```python block, write the "
                "Markdown shown with the output once the learner reveals it", line)
    return None


def _check_predicts(tokens: list[Token], path: Path, first_line: int,
                    ctx: MarkdownContext) -> None:
    """Each ``::: predict``: exactly one Python block first, then an explanation."""
    inside_until = -1  # a predict nested in a predict is reported once, on the outer one
    for index, token in enumerate(tokens):
        if index <= inside_until or token.type != "container_callout_open" \
                or split_callout_info(token.info)[0] != PREDICT:
            continue
        end = index + 1
        while end < len(tokens) and not (tokens[end].type == "container_callout_close"
                                         and tokens[end].level == token.level):
            end += 1
        inside_until = end
        found = _predict_problem(tokens[index + 1:end], token.level)
        if found is None:
            continue
        message, inner_line = found
        opened = token.map[0] if token.map else 0
        line = first_line + (inner_line if inner_line is not None else opened)
        ctx.problems.append(Problem(path, line, message))


def check_markdown(text: str, path: Path, first_line: int, ctx: MarkdownContext, *,
                   own_page: bool = False) -> list[str]:
    """Check one Markdown text that starts on ``first_line`` of ``path``.

    ``own_page`` is true for an item's body (a page of its own), where ``#heading`` links
    must name one of its headings. Returns the heading ids (what ``item:<id>#anchor`` may
    point at).
    """
    if not text:
        return []
    _check_callouts(text, path, first_line, ctx)
    tokens = shared_parser().parse(text)
    _check_fence_flags(tokens, path, first_line, ctx)
    _check_predicts(tokens, path, first_line, ctx)
    slugs = [slug for slug, _line in headings(tokens)]
    for link in links(tokens):
        line = first_line + link.line
        _check_link(link.target, link.image, path, line, ctx)
        anchor = link.target[1:]
        if own_page and link.target.startswith("#") and anchor not in slugs:
            ctx.problems.append(Problem(path, line, f"broken link: no heading '#{anchor}' "
                                                    f"on this page (its headings: "
                                                    f"{', '.join(slugs) or 'none'})"))
    return slugs
