"""Bytes of a content file -> a YAML node tree with positions, refusing what YAML should not do here.

Only PyYAML's safe composer runs: nothing is ever constructed from a tag, and anchors and
aliases are refused before any of them is expanded (no alias bombs).
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent

from generator.source.errors import ContentError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024

# Tags a plain YAML scalar, list or mapping resolves to; anything else was written as an explicit tag.
PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class _ContentLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases at the event where they appear."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise ComposerError(None, None, "aliases (*name) are not allowed in content files", event.start_mark)
        if getattr(event, "anchor", None):
            raise ComposerError(None, None, "anchors (&name) are not allowed in content files", event.start_mark)
        return super().compose_node(parent, index)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _text_position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes, file: str) -> str:
    """UTF-8 text of the file (a BOM is accepted); a clear error for anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise ContentError([Problem(1, 1, file, "", f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")])
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


_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*]\S")


def _fast_compose(text: str) -> yaml.Node | None:
    """libyaml's composer (about 50 times faster) for files that are valid and hold no anchor or alias;
    None whenever anything is unusual, so the pure-Python path below gives its exact messages."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return None
    try:
        # only then look at the events; most files have no '&x' or '*x' token ('in' first: it is 30x faster)
        if ("&" in text or "*" in text) and _MAYBE_ANCHOR.search(text):
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                    return None
        return yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None


def compose(text: str, file: str) -> yaml.Node:
    """Compose the single YAML document in `text`; every failure is a ContentError."""
    try:
        node = _fast_compose(text) or yaml.compose(text, Loader=_ContentLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ContentError([Problem(line, column, file, "", _plain_message(exc))]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, such as a control character
        line, column = _text_position(text, exc.position)
        message = f"character U+{exc.character:04X} is not allowed in YAML; remove it"
        raise ContentError([Problem(line, column, file, "", message)]) from None
    except RecursionError:
        raise ContentError([Problem(1, 1, file, "", "the file nests lists or mappings too deeply")]) from None
    if node is None:
        raise ContentError([Problem(1, 1, file, "", "the file is empty; see docs/content-format.md for an example")])
    if any(mark in text for mark in _TAG_MARKS):
        _refuse_tags(node, file)
    return node


# A node can only resolve to a tag outside PLAIN_TAGS if the text holds one of these: '!' starts every
# explicit tag, '<<' is a merge key, '=' PyYAML's "value" key. Without them the walk below finds nothing.
_TAG_MARKS = ("!", "<<", "=")


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
