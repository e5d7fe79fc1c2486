"""Bytes of a content file -> a YAML node tree with positions, refusing what YAML should not do here.

Only PyYAML's safe composer runs, and only on text whose parser events hold no anchor, alias or
explicit tag: nothing is ever constructed from a tag, and no alias is ever followed (no alias bombs).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import yaml
from yaml.events import AliasEvent

from generator.source.errors import ContentError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024

# Tags a plain YAML scalar, list or mapping resolves to; anything else was written as an explicit tag.
PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of a byte offset; CR LF, CR and LF all end a line, as in YAML."""
    before = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return before.count(b"\n") + 1, len(before) - (before.rfind(b"\n") + 1) + 1


def _text_position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index; CR LF, CR and LF all end a line, as in YAML."""
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def too_large(size: int, file: str) -> ContentError:
    return ContentError([Problem(1, 1, file, "", f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")])


def read_bytes(path: Path) -> bytes:
    """The bytes of a content file, refusing one over the limit before reading it (it may be gigabytes)."""
    with open(path, "rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise too_large(os.fstat(stream.fileno()).st_size, str(path))
    return data


def decode(data: bytes, file: str) -> str:
    """UTF-8 text of the file (a BOM is accepted); a clear error for anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data), file)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul)
        raise ContentError([Problem(line, column, file, "", f"a NUL byte at byte offset {nul}; content files are UTF-8 text")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        message = f"bytes that are not UTF-8 at byte offset {exc.start}; save the file as UTF-8"
        raise ContentError([Problem(line, column, file, "", message)]) from None


def _plain_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "YAML syntax error"
    if problem.endswith("not allowed in content files"):
        return problem
    if "'\\t'" in problem:
        return "a tab character; indent with spaces"
    if problem == "mapping values are not allowed here":
        return ("YAML syntax error: a ':' where none was expected; check this line's indentation, "
                "or quote a text that contains ': '")
    if "expected a single document" in (exc.context or "") + problem:
        return "more than one YAML document ('---'); a content file holds one"
    words = problem
    if exc.context and exc.context_mark is not None:
        words = f"{exc.context} (line {exc.context_mark.line + 1}), {problem}"
    return f"YAML syntax error: {words}"


def _loaders() -> list[type]:
    """libyaml's loader (about 50 times faster) when PyYAML has it, then the pure-Python one, whose syntax
    error messages are the ones the docs show."""
    fast = getattr(yaml, "CSafeLoader", None)
    return [fast, yaml.SafeLoader] if fast else [yaml.SafeLoader]


def _refused_events(text: str, loader: type, file: str) -> list[Problem]:
    """Anchors, aliases and explicit tags: the parser's events show them all, before any node is composed,
    so no alias is ever followed (no alias bombs) and none can hide. Each kind is reported where it
    first appears, with how many more there are."""
    first: dict[str, Problem] = {}
    counts: dict[str, int] = {}
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, AliasEvent):
            message = "aliases (*name) are not allowed in content files"
        elif getattr(event, "anchor", None):
            message = "anchors (&name) are not allowed in content files"
        elif getattr(event, "tag", None) is not None:
            message = _tag_message(event.tag)
        else:
            continue
        counts[message] = counts.get(message, 0) + 1
        first.setdefault(message, Problem(event.start_mark.line + 1, event.start_mark.column + 1, file, "", message))
    return [dataclasses.replace(problem, message=problem.message + _more(counts[message] - 1))
            for message, problem in first.items()]


def _more(count: int) -> str:
    return f" ({count:,} more in this file)" if count else ""


def _compose(text: str, file: str) -> yaml.Node | None:
    for loader in _loaders():
        try:
            refused = _refused_events(text, loader, file)
            if refused:
                raise ContentError(refused)
            return yaml.compose(text, Loader=loader)
        except yaml.MarkedYAMLError as exc:
            if "nesting depth" in (exc.problem or ""):  # libyaml's bound: the pure-Python parser would take seconds
                raise _too_deep(file, exc.problem_mark) from None
            if loader is yaml.SafeLoader:
                raise
        except yaml.YAMLError:
            if loader is yaml.SafeLoader:
                raise
    raise AssertionError("the pure-Python loader is always tried last")


def _too_deep(file: str, mark: yaml.Mark | None) -> ContentError:
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return ContentError([Problem(line, column, file, "", "the file nests lists or mappings too deeply")])


def compose(text: str, file: str) -> yaml.Node:
    """Compose the single YAML document in `text`; every failure is a ContentError."""
    try:
        node = _compose(text, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ContentError([Problem(line, column, file, "", _plain_message(exc))]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, such as a control character
        line, column = _text_position(text, exc.position)
        message = f"character U+{exc.character:04X} is not allowed in YAML; remove it"
        raise ContentError([Problem(line, column, file, "", message)]) from None
    except RecursionError:
        raise _too_deep(file, None) from None
    if node is None:
        raise ContentError([Problem(1, 1, file, "", "the file is empty; see docs/content-format.md for an example")])
    if any(mark in text for mark in _TAG_MARKS):
        _refuse_tags(node, file)
    return node


# Without an explicit tag (refused above), a node resolves to a tag outside PLAIN_TAGS only as a merge
# key ('<<') or PyYAML's "value" key ('='): without them in the text the walk below finds nothing.
_TAG_MARKS = ("<<", "=")


def _refuse_tags(root: yaml.Node, file: str) -> None:
    problems = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in PLAIN_TAGS:
            mark = node.start_mark
            problems.append(Problem(mark.line + 1, mark.column + 1, file, "", _tag_message(node.tag)))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if problems:
        raise ContentError(problems)


def _tag_message(tag: str) -> str:
    if tag == "tag:yaml.org,2002:merge":
        return "merge keys (<<) are not allowed in content files"
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"YAML tags are not allowed ('{shown}')"
