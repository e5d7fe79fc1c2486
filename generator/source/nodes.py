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

    def error(self, node: yaml.Node, path: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(mark.line + 1, mark.column + 1, self.file, path, message))

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
