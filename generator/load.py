"""Content file -> validated Content model; every problem in the file is collected first."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from generator import nodes
from generator.errors import ContentError, Problem
from generator.model import (
    FORMAT_VERSION, BasicCard, Card, ClozeCard, Column, Content, Fact, PatientSection, PatientSheet, Reference,
    Row, Section, Status, Table, Topic,
)
from generator.nodes import Context, Field, mapping, sequence
from generator.yaml_source import compose, decode

CLOZE_DELETION = re.compile(r"\{\{c\d+::.+?\}\}", re.DOTALL)
STATUSES = tuple(s.value for s in Status)

_text, _slug = nodes.text, nodes.slug
_texts = sequence(_text)
_slugs = sequence(_slug)
_url = nodes.pattern(r"^https?://[^\s/$.?#][^\s]*$", "an http(s) URL such as https://example.org/page")
_language = nodes.pattern(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "a BCP 47 language tag such as 'en' or 'en-GB'")
_pmid = nodes.pattern(r"^[0-9]{1,9}$", "a PubMed id (digits only)")
_doi = nodes.pattern(r"^10\.[0-9]{4,9}/\S+$", "a DOI such as 10.1000/xyz123 (without https://doi.org/)")


def _cloze(ctx: Context, node: yaml.Node, path: str) -> str | None:
    """Cloze text with at least one deletion: without one, Anki would make no card from the note."""
    value = _text(ctx, node, path)
    if value is not None and not CLOZE_DELETION.search(value):
        ctx.error(node, path, "a cloze card needs at least one deletion such as {{c1::answer}}")
        return None
    return value


class _Reader:
    """Reads one file; keeps id registries so duplicates and dangling sources are caught in place."""

    def __init__(self, file: str) -> None:
        self.ctx = Context(file)
        self.first_line: dict[tuple[str, str], int] = {}
        self.claimed: set[tuple[str, str]] = set()
        self.reference_ids: list[str] | None = None
        self.section_ids: list[str] = []
        self.plain_by_fact: dict[str, bool] = {}

    # -- ids and cross references ------------------------------------------------------------
    def _claim(self, kind: str, node: yaml.Node, path: str, value: str | None) -> None:
        if value is None:
            return
        first = self.first_line.setdefault((kind, value), node.start_mark.line + 1)
        if first != node.start_mark.line + 1 or (kind, value) in self.claimed:
            self.ctx.error(node, path, f"duplicate {kind} id '{value}' (first at line {first})")
        self.claimed.add((kind, value))

    def id_of(self, kind: str) -> nodes.Reader:
        def read(ctx: Context, node: yaml.Node, path: str) -> str | None:
            value = _slug(ctx, node, path)
            self._claim(kind, node, path, value)
            return value

        return read

    def source(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = _slug(ctx, node, path)
        known = self.reference_ids
        if value is not None and known is not None and value not in known:
            ctx.error(node, path, f"unknown reference '{value}'{nodes.suggestion(value, known)}")
        return value

    # -- the format ------------------------------------------------------------------------------
    def content(self, node: yaml.Node) -> Content | None:
        top = mapping(self.ctx, node, "", (
            Field("format", self.format_version),
            Field("topic", self.topic),
            Field("references", self.references),
            Field("sections", sequence(self.section, min_items=1)),
            Field("key_points", self.section_ref, False),
            Field("patient_sheet", self.patient_sheet),
        ))
        if top is None:
            return None
        return Content(
            topic=top.get("topic"), references=top.get("references") or (), sections=top.get("sections") or (),
            key_points=top.get("key_points"), patient_sheet=top.get("patient_sheet"),
            file=self.ctx.file, texts=tuple(self.ctx.texts),
        )

    def format_version(self, ctx: Context, node: yaml.Node, path: str) -> int | None:
        value = nodes.integer(ctx, node, path)
        if value is not None and value != FORMAT_VERSION:
            ctx.error(node, path, f"format {value} is not supported; this factpack reads format {FORMAT_VERSION}")
        return value

    def references(self, ctx: Context, node: yaml.Node, path: str) -> tuple[Reference, ...] | None:
        refs = sequence(self.reference, min_items=1)(ctx, node, path)
        if refs is not None:
            self.reference_ids = [r.id for r in refs if r is not None and r.id is not None]
        return refs

    def topic(self, ctx: Context, node: yaml.Node, path: str) -> Topic | None:
        v = mapping(ctx, node, path, (
            Field("id", _slug), Field("title", _text), Field("subtitle", _text),
            Field("language", _language), Field("audience", _text, False),
            Field("authors", sequence(_text, 1)), Field("reviewers", sequence(_text, 1)),
            Field("last_reviewed", nodes.date), Field("review_due", nodes.date),
            Field("version", _text), Field("disclaimer", _text),
        ))
        return _make(Topic, v)

    def reference(self, ctx: Context, node: yaml.Node, path: str) -> Reference | None:
        v = mapping(ctx, node, path, (
            Field("id", self.id_of("reference")), Field("authors", _texts, False),
            Field("publisher", _text, False), Field("title", _text), Field("published_in", _text),
            Field("year", nodes.integer), Field("url", _url), Field("pmid", _pmid, False), Field("doi", _doi, False),
        ))
        if v is None:
            return None
        if "authors" not in v and "publisher" not in v:
            ctx.error(node, path, "missing required field 'authors' or 'publisher'")
        return _make(Reference, v)

    def section_ref(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = _slug(ctx, node, path)
        if value is not None and value not in self.section_ids:
            ctx.error(node, path, f"unknown section '{value}'{nodes.suggestion(value, self.section_ids)}")
        return value

    def plain_fact(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        """A fact id whose plain-language text the patient sheet prints."""
        value = _slug(ctx, node, path)
        if value is None:
            return None
        if value not in self.plain_by_fact:
            ctx.error(node, path, f"unknown fact '{value}'{nodes.suggestion(value, list(self.plain_by_fact))}")
        elif not self.plain_by_fact[value]:
            ctx.error(node, path, f"fact '{value}' has no 'plain' text for the patient sheet")
        return value

    def patient_sheet(self, ctx: Context, node: yaml.Node, path: str) -> PatientSheet | None:
        facts = sequence(self.plain_fact, 1)
        part = lambda c, n, p: _make(PatientSection, mapping(c, n, p, (Field("title", _text), Field("facts", facts))))
        v = mapping(ctx, node, path, (
            Field("main_message", facts), Field("sections", sequence(part, 1)), Field("key_points", facts),
        ))
        return _make(PatientSheet, v)

    def section(self, ctx: Context, node: yaml.Node, path: str) -> Section | None:
        v = mapping(ctx, node, path, (
            Field("id", self.id_of("section")), Field("title", _text), Field("intro", _text),
            Field("facts", sequence(self.fact, 1)), Field("tables", sequence(self.table), False),
        ))
        if v is not None and v.get("id") is not None:
            self.section_ids.append(v["id"])
        return _make(Section, v)

    def fact(self, ctx: Context, node: yaml.Node, path: str) -> Fact | None:
        v = mapping(ctx, node, path, (
            Field("id", self.id_of("fact")), Field("text", _text), Field("plain", _text, False),
            Field("status", nodes.choice(STATUSES)), Field("sources", sequence(self.source, 1)),
            Field("tags", _slugs, False), Field("cards", sequence(self.card), False),
        ))
        if v is None:
            return None
        if v.get("status") is not None:
            v["status"] = Status(v["status"])
        if v.get("id") is not None:
            self.plain_by_fact[v["id"]] = bool(v.get("plain"))
        return _make(Fact, v)

    def card(self, ctx: Context, node: yaml.Node, path: str) -> Card | None:
        v = mapping(ctx, node, path, (
            Field("id", self.id_of("card")), Field("question", _text, False), Field("answer", _text, False),
            Field("reverse", nodes.boolean, False), Field("cloze", _cloze, False),
        ))
        if v is None:
            return None
        if "cloze" in v:
            if {"question", "answer", "reverse"} & v.keys():
                ctx.error(node, path, "a card has either 'question' and 'answer', or 'cloze', not both")
            return ClozeCard(id=v["id"], text=v["cloze"])
        missing = [name for name in ("question", "answer") if name not in v]
        if missing:
            wanted = " and ".join(f"'{m}'" for m in missing)
            ctx.error(node, path, f"missing required field {wanted} (or give 'cloze' instead)")
        return BasicCard(id=v["id"], question=v.get("question"), answer=v.get("answer"), reverse=bool(v.get("reverse")))

    def table(self, ctx: Context, node: yaml.Node, path: str) -> Table | None:
        columns: list[Column] = []

        def read_columns(c: Context, n: yaml.Node, p: str) -> tuple[Column, ...] | None:
            read = sequence(lambda c2, n2, p2: _make(Column, mapping(c2, n2, p2, (Field("id", _slug), Field("title", _text)))), 1)
            found = read(c, n, p)
            columns.extend(col for col in found or () if col is not None and col.id is not None)
            _unique(c, n, p, "column", [col and col.id for col in found or ()])
            return found

        def read_rows(c: Context, n: yaml.Node, p: str) -> tuple[Row, ...] | None:
            rows = sequence(lambda c2, n2, p2: self.row(c2, n2, p2, tuple(columns)), 1)(c, n, p)
            _unique(c, n, p, "row", [r and r.id for r in rows or ()])
            return rows

        v = mapping(ctx, node, path, (
            Field("id", self.id_of("table")), Field("title", _text),
            Field("columns", read_columns), Field("rows", read_rows),
        ))
        return _make(Table, v)

    def row(self, ctx: Context, node: yaml.Node, path: str, columns: tuple[Column, ...]) -> Row | None:
        column_ids = [c.id for c in columns]

        def cells(c: Context, n: yaml.Node, p: str) -> tuple[str, ...] | None:
            found = nodes.pairs(c, n, p)
            if found is None:
                return None
            values = {}
            for key, value in found:
                if key.value in column_ids:
                    values[key.value] = _text(c, value, f"{p}.{key.value}")
                else:
                    hint = nodes.suggestion(key.value, column_ids)
                    c.error(key, f"{p}.{key.value}", f"unknown column '{key.value}'{hint}")
            return tuple(values.get(cid) or "" for cid in column_ids)

        v = mapping(ctx, node, path, (
            Field("id", _slug), Field("cells", cells), Field("sources", sequence(self.source, 1)),
        ))
        return _make(Row, v)


def _unique(ctx: Context, node: yaml.Node, path: str, kind: str, ids: list[str | None]) -> None:
    """Report ids that repeat within one table (columns and rows are scoped to their table)."""
    first: dict[str, int] = {}
    for i, (item_id, child) in enumerate(zip(ids, node.value)):
        if item_id is None:
            continue
        if item_id in first:
            ctx.error(child, f"{path}[{i}].id", f"duplicate {kind} id '{item_id}' (first at line {first[item_id]})")
        first.setdefault(item_id, child.start_mark.line + 1)


def _make(cls: type, values: dict[str, Any] | None) -> Any:
    """Build `cls` from read values; fields that failed or are missing become None (discarded later)."""
    if values is None:
        return None
    required = {f.name: None for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING}
    return cls(**(required | values))


def load_text(text: str, file: str) -> Content:
    """Validate `text` (named `file` in messages) into a Content, or raise ContentError with every problem."""
    root = compose(text, file)
    reader = _Reader(file)
    content = reader.content(root)
    if reader.ctx.problems or content is None:
        raise ContentError(reader.ctx.problems or [Problem(1, 1, file, "", "no content")])
    return content


def load(path: Path) -> Content:
    """Read and validate one content file."""
    data = path.read_bytes()
    return load_text(decode(data, str(path)), str(path))
