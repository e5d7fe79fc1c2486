"""Declarative field types of the content format: each one reads YAML nodes (recording every problem
with its position) and describes itself as JSON Schema, so the loader and the editor schema cannot drift.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from generator.source import characters, cloze, inline
from generator.source.nodes import NULL_TAG, Context, close_match, describe, pairs

MAX_TEXT_CHARS = 5000
FORMATTED, PLAIN, CLOZE = "formatted", "plain", "cloze"  # how a text field reads inline formatting
SLUG = r"^[a-z0-9][a-z0-9-]*$"


class Spec:
    """A field type: `read` turns a node into a value (or None after recording a problem)."""

    def read(self, ctx: Context, node: yaml.Node, path: str) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError


def _scalar(ctx: Context, node: yaml.Node, path: str, expected: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        ctx.error(node, path, f"expected {expected}, found {describe(node)}")
        return None
    return node.value


@dataclass(frozen=True)
class Text(Spec):
    """Any scalar, taken as written (`answer: No` stays 'No'); trimmed, never empty, never too long."""

    pattern: str | None = None
    what: str = ""  # names the expected form when `pattern` does not match
    rule: Callable[[str], str | None] | None = None  # an extra check: returns a message when broken
    max_chars: int = MAX_TEXT_CHARS
    one_line: bool = False  # white space (tabs, line breaks) folds to single spaces
    # inline formatting (docs/content-format.md): FORMATTED keeps the text as written for the renderers,
    # PLAIN refuses formatting and keeps the text as it reads (escapes resolved), CLOZE is FORMATTED within
    # each stretch of a cloze text; a text with a `pattern` (ids, URLs) is read as written
    inline: str = FORMATTED

    def read(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = _scalar(ctx, node, path, "a text")
        if value is None:
            return None
        value = " ".join(value.split()) if self.one_line else value.strip()
        if not value:
            ctx.error(node, path, "must not be empty")
        elif len(value) > self.max_chars:
            ctx.error(node, path, f"is {len(value):,} characters long; the limit is {self.max_chars:,}")
        elif broken := characters.problem(value):
            ctx.error(node, path, broken)
        elif self.pattern and not re.match(self.pattern, value):
            ctx.error(node, path, f"'{shortened(value)}' is not {self.what}")
        elif not self.pattern and (found := self._markers(value)):
            ctx.error_at(node, path, value, found.offset, found.message)
        elif self.rule and (broken := self.rule(self._kept(value))):
            ctx.error(node, path, broken)
        else:
            ctx.record_text(node, path, value)
            return self._kept(value)
        return None

    def _markers(self, value: str) -> inline.Problem | None:
        """The first inline marker that is wrong here: one that pairs with nothing, or any in a plain text."""
        found = cloze.formatting_problem(value) if self.inline == CLOZE else inline.problem(value)
        if found is None and self.inline == PLAIN and (offset := inline.first_marker(value)) is not None:
            char = value[offset]
            return inline.Problem(offset, f"'{char}' formats text, but this field prints as plain text (titles, "
                                          f"names and versions do); write \\{char} for a literal '{char}'")
        return found

    def _kept(self, value: str) -> str:
        return inline.plain(value) if self.inline == PLAIN and not self.pattern else value

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_chars}
        if self.pattern:
            result["pattern"] = self.pattern
        return result


def shortened(value: str, limit: int = 60) -> str:
    """A value as messages quote it: long ones cut with an ellipsis."""
    return value if len(value) <= limit else value[:limit - 1] + "…"


def slug_text() -> Text:
    return Text(SLUG, "a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit")


@dataclass(frozen=True)
class Id(Text):
    """A slug that names a new item of `kind`; a second item with the same id is an error."""

    kind: str = ""

    def read(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = super().read(ctx, node, path)
        if value is not None:
            first = ctx.claim(self.kind, value, node.start_mark.line + 1)
            if first is not None:
                ctx.error(node, path, f"duplicate {self.kind} id '{value}' (first at line {first})")
        return value


@dataclass(frozen=True)
class Ref(Text):
    """A slug that must name an item of `kind` defined earlier in the file (checked if any was read)."""

    kind: str = ""

    def read(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = super().read(ctx, node, path)
        known = ctx.claimed.get(self.kind)
        if value is not None and known is not None and value not in known:
            ctx.error(node, path, f"unknown {self.kind} '{value}'{ctx.suggest(value, known)}")
            return None
        return value


@dataclass(frozen=True)
class Integer(Spec):
    """A whole number from `minimum` to `maximum` (its digits are counted before it is converted)."""

    minimum: int = 0
    maximum: int = 9999

    def read(self, ctx: Context, node: yaml.Node, path: str) -> int | None:
        value = _scalar(ctx, node, path, "a whole number")
        if value is None:
            return None
        if not re.fullmatch(r"[0-9]+", value):
            ctx.error(node, path, f"expected a whole number, found '{shortened(value)}'")
            return None
        if len(value) > len(str(self.maximum)) or not self.minimum <= int(value) <= self.maximum:
            ctx.error(node, path, f"'{shortened(value)}' is out of range: use {self.minimum} to {self.maximum}")
            return None
        return int(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Date(Spec):
    def read(self, ctx: Context, node: yaml.Node, path: str) -> dt.date | None:
        value = _scalar(ctx, node, path, "a date")
        if value is None:
            return None
        try:
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
                raise ValueError(value)
            parsed = dt.date.fromisoformat(value)
            ctx.record_text(node, path, value)
            return parsed
        except ValueError:
            ctx.error(node, path, f"'{value}' is not a valid date (use YYYY-MM-DD)")
            return None

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


@dataclass(frozen=True)
class Boolean(Spec):
    def read(self, ctx: Context, node: yaml.Node, path: str) -> bool | None:
        value = _scalar(ctx, node, path, "true or false")
        if value is not None and value not in ("true", "false"):
            ctx.error(node, path, f"expected true or false, found '{value}'")
            return None
        return None if value is None else value == "true"

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(Spec):
    options: tuple[str, ...]

    def read(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = Text().read(ctx, node, path)
        if value is not None and value not in self.options:
            listed = ", ".join(self.options)
            ctx.error(node, path, f"'{shortened(value)}' is not one of: {listed}{ctx.suggest(value, self.options)}")
            return None
        return value

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.options)}


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    max_items: int | None = None

    def read(self, ctx: Context, node: yaml.Node, path: str) -> tuple[Any, ...] | None:
        if not isinstance(node, yaml.SequenceNode):
            ctx.error(node, path, f"expected a list, found {describe(node)}")
            return None
        if len(node.value) < self.min_items:
            ctx.error(node, path, f"needs at least {self.min_items} item{'s' * (self.min_items > 1)}")
        if self.max_items is not None and len(node.value) > self.max_items:
            ctx.error(node, path, f"has {len(node.value):,} items; the limit is {self.max_items}")
            return None
        return tuple(self.item.read(ctx, child, f"{path}[{i}]") for i, child in enumerate(node.value))

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            result["minItems"] = self.min_items
        if self.max_items is not None:
            result["maxItems"] = self.max_items
        return result


@dataclass(frozen=True)
class TextMap(Spec):
    """A mapping from ids (checked by the owner, who knows the allowed keys) to texts."""

    text: Text = Text()

    def read(self, ctx: Context, node: yaml.Node, path: str) -> dict[str, tuple[str | None, yaml.Node]] | None:
        found = pairs(ctx, node, path)
        if found is None:
            return None
        return {key.value: (self.text.read(ctx, value, f"{path}.{key.value}"), key) for key, value in found}

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.text.schema()}


@dataclass(frozen=True)
class Field:
    """One key of a record: its type, whether it must be there, and what it means (for editors and docs)."""

    name: str
    spec: Spec
    required: bool = True
    description: str = ""


Hook = Callable[[Context, yaml.MappingNode, str, dict[str, Any]], None]


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with known keys that becomes an instance of `model` (a frozen dataclass of the model).

    The record's fields and the model's attributes must be the same names: a field the model lacks
    would be dropped silently, an attribute no field fills would never be set; either is a TypeError
    when this module is imported. A record that makes one of several classes (a card) gives them all
    as `model` and a `build` function that chooses; `build=dict` keeps the values for the owner's check.
    `check` runs after the fields are read and may report problems or adjust the values."""

    title: str
    fields: tuple[Field, ...]
    model: type | tuple[type, ...]
    build: Callable[[dict[str, Any]], Any] | None = None
    check: Hook | None = None
    exclusive: tuple[tuple[str, ...], ...] = ()  # exactly one of these field groups (JSON Schema oneOf)
    either: tuple[str, ...] = ()  # at least one of these fields (JSON Schema anyOf)

    def __post_init__(self) -> None:
        models = self.model if isinstance(self.model, tuple) else (self.model,)
        attributes = {f.name for m in models for f in dataclasses.fields(m) if not f.metadata.get("set_by_loader")}
        names = {f.name for f in self.fields}
        if names != attributes:
            raise TypeError(f"record '{self.title}' and {', '.join(m.__name__ for m in models)} disagree: "
                            f"fields without an attribute {sorted(names - attributes)}, "
                            f"attributes without a field {sorted(attributes - names)}")

    def read(self, ctx: Context, node: yaml.Node, path: str) -> Any:
        found = pairs(ctx, node, path)
        if found is None:
            return None
        by_name = {key.value: value for key, value in found}
        known = [f.name for f in self.fields]
        misspelt = set()
        for key, _ in found:
            if key.value not in known:
                misspelt.add(close_match(key.value, known))
                ctx.error(key, _join(path, key.value),
                          f"unknown field '{shortened(key.value)}'{ctx.suggest(key.value, known)}")
        values: dict[str, Any] = {}
        for spec in self.fields:
            if spec.name in by_name:
                values[spec.name] = spec.spec.read(ctx, by_name[spec.name], _join(path, spec.name))
            elif spec.required and spec.name not in misspelt:  # a misspelt key already says what is missing
                ctx.error(node, path, f"missing required field '{spec.name}'")
        if self.either and not set(self.either) & values.keys():
            wanted = " or ".join(f"'{name}'" for name in self.either)
            ctx.error(node, path, f"missing required field {wanted}")
        if self.check:
            self.check(ctx, node, path, values)
        return self._build(values)

    def _build(self, values: dict[str, Any]) -> Any:
        if self.build is not None:
            return self.build(values)
        model: Any = self.model
        # a missing required value has been reported; None stands in, and the result is never used
        missing = {f.name: None for f in dataclasses.fields(model)
                   if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        return model(**(missing | values))

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "title": self.title,
            "type": "object",
            "properties": {f.name: {**f.spec.schema(), **({"description": f.description} if f.description else {})}
                           for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }
        if self.exclusive:
            result["oneOf"] = [{"required": list(group)} for group in self.exclusive]
        if self.either:
            result["anyOf"] = [{"required": [name]} for name in self.either]
        return result


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
