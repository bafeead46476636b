"""YAML and front matter parsing that remembers line numbers.

Every pack problem is reported as ``file:line``, so the loader cannot use plain
``yaml.safe_load``: it throws the marks away. Here a ``SafeLoader`` subclass builds
:class:`LDict` / :class:`LList` (a dict and a list that also carry the line of each key or
entry). Anything the parser or constructor rejects becomes a :class:`Problem`, never an
exception: authors get every message at once and a malformed file never crashes the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from buildreal.packs.model import Problem


class LDict(dict):
    """A mapping from YAML with the 1-based line of the mapping, each key and each value.

    ``value_lines[key]`` is where the value's text starts: for a block scalar (``|`` or
    ``>``) that is the line after the key, so Markdown inside it maps back to the file.
    """

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def text_line_of(self, key: Any) -> int:
        return self.value_lines.get(key, self.line_of(key))


class LList(list):
    """A sequence from YAML with the 1-based line of the sequence and each entry."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


# libyaml's parser is several times faster than the pure-Python one and keeps the same
# marks; packs are parsed at every site start, so use it when PyYAML was built with it.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that builds LDict/LList and collects duplicate-key problems."""

    def __init__(self, stream: str, path: Path, line_offset: int) -> None:
        super().__init__(stream)
        self.pack_path = path
        self.line_offset = line_offset
        self.pack_problems: list[Problem] = []

    def node_line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = loader.node_line(node)
    result.key_lines = {}
    result.value_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            loader.pack_problems.append(
                Problem(loader.pack_path, loader.node_line(key_node),
                        "a key must be plain text, not a list or a mapping")
            )
            continue
        if key in result:
            loader.pack_problems.append(
                Problem(loader.pack_path, loader.node_line(key_node),
                        f"duplicate key '{key}' (first at line {result.key_lines[key]})")
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = loader.node_line(key_node)
        block = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
        result.value_lines[key] = loader.node_line(value_node) + (1 if block else 0)
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = loader.node_line(node)
    result.item_lines = [loader.node_line(child) for child in node.value]
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _error_line(exc: BaseException, line_offset: int) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return 1 + line_offset
    return mark.line + 1 + line_offset


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return ``(data, problems)``.

    ``line_offset`` shifts reported lines (front matter starts on line 2 of its file).
    ``data`` is None when the text could not be parsed at all.
    """
    loader = _LineLoader(text, path, line_offset)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        reason = exc.problem or str(exc)
        if exc.context and exc.problem:
            reason = f"{exc.context}, {exc.problem}"
        return None, [Problem(path, _error_line(exc, line_offset), f"bad YAML: {reason}")]
    except yaml.YAMLError as exc:
        # Reader errors (a control character, bad encoding) carry no mark, only a message
        # with the parser's own stream name in it; keep the readable first part.
        reason = " ".join(str(exc).split('in "<')[0].split())
        line = _error_line(exc, line_offset)
        position = getattr(exc, "position", None)
        if isinstance(position, int):
            line = text[:position].count("\n") + 1 + line_offset
        return None, [Problem(path, line, f"bad YAML: {reason}")]
    except RecursionError:
        return None, [Problem(path, 1 + line_offset, "bad YAML: nested too deeply")]
    except (ValueError, TypeError, OverflowError) as exc:
        # The safe constructors raise these for values such as an impossible date.
        return None, [Problem(path, 1 + line_offset, f"bad YAML value: {exc}")]
    finally:
        loader.dispose()
    return data, loader.pack_problems


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown file split into front matter and body, with the body's first line."""

    meta: Any  # LDict when the front matter parsed as a mapping
    body: str
    body_line: int  # 1-based line of the file where ``body`` starts


def split_front_matter(text: str, path: Path) -> tuple[MarkdownFile | None, list[Problem]]:
    """Split ``---`` front matter from a Markdown file and parse it with file lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None, [Problem(path, 1, "missing front matter: the file must start with a "
                                       "'---' line, then YAML (id, title, ...), then '---'")]
    end = None
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in ("---", "..."):
            end = index
            break
    if end is None:
        return None, [Problem(path, 1, "front matter is not closed: add a '---' line after "
                                       "the YAML block")]
    yaml_text = "".join(lines[1:end])
    meta, problems = parse_yaml(yaml_text, path, line_offset=1)
    if not problems and not isinstance(meta, dict):
        problems = [Problem(path, 2, "front matter must be a YAML mapping (key: value "
                                     "lines such as 'id: m1-l1')")]
    body = "".join(lines[end + 1:])
    return MarkdownFile(meta=meta, body=body, body_line=end + 2), problems
