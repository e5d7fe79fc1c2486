"""Typed reads of YAML nodes that record every problem instead of stopping at the first.

Each reader takes (context, node, path) and returns a value, or None after recording a problem.
Messages use plain words ("a list"), never Python type names.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from generator.errors import Problem
from generator.model import TextField

MAX_TEXT_CHARS = 5000
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[0-9]+$")
_NULL = "tag:yaml.org,2002:null"

Reader = Callable[["Context", yaml.Node, str], Any]


@dataclass
class Context:
    """The file being read and the problems found so far."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    texts: list[TextField] = field(default_factory=list)

    def error(self, node: yaml.Node, path: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(mark.line + 1, mark.column + 1, self.file, path, message))


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
        _NULL: "nothing",
        "tag:yaml.org,2002:bool": "true/false",
        "tag:yaml.org,2002:int": "a whole number",
        "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:timestamp": "a date",
    }.get(node.tag, "a text")


def _scalar(ctx: Context, node: yaml.Node, path: str, expected: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
        ctx.error(node, path, f"expected {expected}, found {describe(node)}")
        return None
    return node.value


def text(ctx: Context, node: yaml.Node, path: str) -> str | None:
    """Any scalar, taken as written (`answer: No` stays 'No'); trimmed, never empty."""
    value = _scalar(ctx, node, path, "a text")
    if value is None:
        return None
    value = value.strip()
    if not value:
        ctx.error(node, path, "must not be empty")
        return None
    if len(value) > MAX_TEXT_CHARS:
        ctx.error(node, path, f"is {len(value):,} characters long; the limit is {MAX_TEXT_CHARS:,}")
        return None
    ctx.texts.append(TextField(path, node.start_mark.line + 1, node.start_mark.column + 1, value))
    return value


def slug(ctx: Context, node: yaml.Node, path: str) -> str | None:
    value = text(ctx, node, path)
    if value is not None and not SLUG.match(value):
        ctx.error(node, path, f"'{value}' is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit")
        return None
    return value


def integer(ctx: Context, node: yaml.Node, path: str) -> int | None:
    value = _scalar(ctx, node, path, "a whole number")
    if value is None:
        return None
    if not _INTEGER.match(value):
        ctx.error(node, path, f"expected a whole number, found '{value}'")
        return None
    return int(value)


def date(ctx: Context, node: yaml.Node, path: str) -> dt.date | None:
    value = _scalar(ctx, node, path, "a date")
    if value is None:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        ctx.error(node, path, f"'{value}' is not a valid date (use YYYY-MM-DD)")
        return None


def boolean(ctx: Context, node: yaml.Node, path: str) -> bool | None:
    value = _scalar(ctx, node, path, "true or false")
    if value is None:
        return None
    if value not in ("true", "false"):
        ctx.error(node, path, f"expected true or false, found '{value}'")
        return None
    return value == "true"


def pattern(regex: str, what: str) -> Reader:
    """A text that must match `regex`; `what` names the expected form in the message."""
    compiled = re.compile(regex)

    def read(ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = text(ctx, node, path)
        if value is not None and not compiled.match(value):
            ctx.error(node, path, f"'{value}' is not {what}")
            return None
        return value

    return read


def choice(options: tuple[str, ...]) -> Reader:
    """A text that must be one of `options`."""

    def read(ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = text(ctx, node, path)
        if value is not None and value not in options:
            listed = ", ".join(options)
            ctx.error(node, path, f"'{value}' is not one of: {listed}{suggestion(value, list(options))}")
            return None
        return value

    return read


def sequence(item: Reader, min_items: int = 0) -> Reader:
    """A list whose items are read by `item`; paths gain `[i]`."""

    def read(ctx: Context, node: yaml.Node, path: str) -> tuple[Any, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            ctx.error(node, path, f"expected a list, found {describe(node)}")
            return None
        if len(node.value) < min_items:
            ctx.error(node, path, f"needs at least {min_items} item{'s' if min_items > 1 else ''}")
        return tuple(item(ctx, child, f"{path}[{i}]") for i, child in enumerate(node.value))

    return read


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
        if key.value in seen:
            ctx.error(key, _join(path, key.value), f"duplicate key '{key.value}' (first at line {seen[key.value]})")
            continue
        seen[key.value] = key.start_mark.line + 1
        kept.append((key, value))
    return kept


@dataclass(frozen=True)
class Field:
    """One key of a mapping: how to read it and whether it must be there."""

    name: str
    read: Reader
    required: bool = True


def mapping(ctx: Context, node: yaml.Node, path: str, fields: tuple[Field, ...]) -> dict[str, Any] | None:
    """Read a mapping by its field list: unknown keys, missing keys and bad values are all reported."""
    found = pairs(ctx, node, path)
    if found is None:
        return None
    by_name = {key.value: (key, value) for key, value in found}
    known = [f.name for f in fields]
    suggested = set()
    for key, _ in found:
        if key.value not in known:
            suggested.add(close_match(key.value, known))
            ctx.error(key, _join(path, key.value), f"unknown field '{key.value}'{suggestion(key.value, known)}")
    values: dict[str, Any] = {}
    for spec in fields:
        if spec.name in by_name:
            values[spec.name] = spec.read(ctx, by_name[spec.name][1], _join(path, spec.name))
        elif spec.required and spec.name not in suggested:  # a misspelt key already says what is missing
            ctx.error(node, path, f"missing required field '{spec.name}'")
    return values


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
