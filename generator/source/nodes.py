"""Reading YAML nodes: the context that collects problems and ids, and plain-word descriptions.

Messages use plain words ("a list"), never Python type names.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

import yaml

from generator.source.errors import Problem
from generator.source.model import TextField

NULL_TAG = "tag:yaml.org,2002:null"


@dataclass
class Context:
    """The file being read, the problems found so far, the ids claimed and every text with its position."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    texts: list[TextField] = field(default_factory=list)
    claimed: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> id -> line first seen
    suggestions_left: int = 100  # each did-you-mean compares with every choice: a file gets this many
    source: str = ""  # the file's text, to point into a text value (see `error_at`)

    def error(self, node: yaml.Node, path: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(mark.line + 1, mark.column + 1, self.file, path, message))

    def error_at(self, node: yaml.ScalarNode, path: str, value: str, offset: int, message: str) -> None:
        """A problem at the character `value[offset]` as it stands in the file (at the value's start where
        the file writes it with escapes that make the two differ)."""
        line, column = locate(self.source, node, value, offset)
        self.problems.append(Problem(line, column, self.file, path, message))

    def record_text(self, node: yaml.Node, path: str, value: str) -> None:
        self.texts.append(TextField(path, node.start_mark.line + 1, node.start_mark.column + 1, value))

    def suggest(self, word: str, choices: Iterable[str]) -> str:
        """' (did you mean 'x'?)' when a close match exists and this file has suggestions left, else ''."""
        if self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        return suggestion(word, list(choices))

    def claim(self, kind: str, item_id: str, line: int) -> int | None:
        """Register an id of `kind`; returns the line where it was first used if it is a duplicate."""
        known = self.claimed.setdefault(kind, {})
        if item_id in known:
            return known[item_id]
        known[item_id] = line
        return None


def locate(source: str, node: yaml.ScalarNode, value: str, offset: int) -> tuple[int, int]:
    """1-based line and column in `source` of `value[offset]`, where `value` is the (trimmed or folded) text
    of scalar `node`. YAML changes only white space of plain, block and single-quoted scalars (and '' to '),
    so the n-th visible character of the value is the n-th of the node's source; a double-quoted scalar with
    backslash escapes is pointed at its start."""
    start, end = node.start_mark.index, node.end_mark.index
    raw = source[start:end]
    at = (node.start_mark.line + 1, node.start_mark.column + 1)
    if not raw or (node.style == '"' and "\\" in raw):
        return at
    wanted = sum(1 for char in value[:offset] if not char.isspace())
    i = {"'": 1, '"': 1}.get(node.style or "", 0)
    if node.style in ("|", ">"):
        i = raw.find("\n") + 1 if "\n" in raw else len(raw)  # past the header line ('>-  # a comment')
    seen = 0
    while i < len(raw):
        if not raw[i].isspace():
            if seen == wanted:
                return _line_column(source, start + i, node)
            seen += 1
            i += 2 if node.style == "'" and raw.startswith("''", i) else 1
        else:
            i += 1
    return at


def _line_column(source: str, index: int, node: yaml.Node) -> tuple[int, int]:
    """Line and column of `index`, counted from the node's start (CR LF, CR and LF each end a line)."""
    line, line_start = node.start_mark.line, node.start_mark.index - node.start_mark.column
    for i in range(node.start_mark.index, index):
        char = source[i]
        if char == "\n" or (char == "\r" and source[i + 1:i + 2] != "\n"):
            line, line_start = line + 1, i + 1
    return line + 1, index - line_start + 1


def child(node: yaml.MappingNode, name: str) -> yaml.Node:
    """The value node of key `name` (the mapping itself if the key is absent), for error positions."""
    return next((value for key, value in node.value if getattr(key, "value", None) == name), node)


def close_match(word: str, choices: list[str]) -> str | None:
    """The choice an author most likely meant by `word`, if any is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def suggestion(word: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    match = close_match(word, choices)
    return f" (did you mean '{match}'?)" if match else ""


def describe(node: yaml.Node) -> str:
    """What a node holds, in the words an author would use."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        NULL_TAG: "nothing",
        "tag:yaml.org,2002:bool": "true/false",
        "tag:yaml.org,2002:int": "a whole number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:timestamp": "a date",
    }.get(node.tag, "a text")


def pairs(ctx: Context, node: yaml.Node, path: str) -> list[tuple[yaml.Node, yaml.Node]] | None:
    """The key/value nodes of a mapping, with duplicate and non-text keys reported and dropped."""
    if not isinstance(node, yaml.MappingNode):
        ctx.error(node, path, f"expected a mapping, found {describe(node)}")
        return None
    seen: dict[str, int] = {}
    kept = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            ctx.error(key, path, f"a key must be a text, found {describe(key)}")
            continue
        where = f"{path}.{key.value}" if path else key.value
        if key.value in seen:
            ctx.error(key, where, f"duplicate key '{key.value}' (first at line {seen[key.value]})")
            continue
        seen[key.value] = key.start_mark.line + 1
        kept.append((key, value))
    return kept
