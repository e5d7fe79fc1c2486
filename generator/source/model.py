"""The typed, immutable content model every renderer reads (no I/O here)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Union

from generator.source.errors import Problem

FORMAT_VERSION = 2


class Status(enum.Enum):
    """Regulatory standing of a statement: never leave a reader guessing."""

    APPROVED = "approved"
    OFF_LABEL = "off-label"
    INVESTIGATIONAL = "investigational"
    NOT_APPLICABLE = "not-applicable"

    @property
    def label(self) -> str:
        return {
            Status.APPROVED: "Approved",
            Status.OFF_LABEL: "Off-label",
            Status.INVESTIGATIONAL: "Investigational",
            Status.NOT_APPLICABLE: "",
        }[self]


@dataclass(frozen=True)
class Reference:
    id: str
    title: str
    published_in: str
    year: int
    url: str
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None

    @property
    def credit(self) -> str:
        """Authors in Vancouver style (first three, then 'et al.'), else the publisher."""
        if self.authors:
            names = ", ".join(self.authors[:3])
            return names + (", et al." if len(self.authors) > 3 else "")
        return self.publisher or ""

    @property
    def links(self) -> tuple[str, ...]:
        """The addresses the PMID and DOI stand for (each printed as a link of its own)."""
        return ((f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/",) if self.pmid else ()) + (
            (f"https://doi.org/{self.doi}",) if self.doi else ())

    @property
    def url_is_extra(self) -> bool:
        """Whether the URL says more than the PMID and DOI links: a URL that is one of them is not printed
        twice."""
        def same(address: str) -> str:
            return address.lower().removeprefix("https://").removeprefix("http://").rstrip("/")

        return same(self.url) not in {same(link) for link in self.links}

    @property
    def locator(self) -> str:
        """Where in its journal: '2021;178(2):193–202' (AMA and Vancouver style), or only the year."""
        issue = f"({self.issue})" if self.issue else ""
        pages = f":{self.pages.replace('-', '–')}" if self.pages else ""
        return f"{self.year};{self.volume}{issue}{pages}" if self.volume else f"{self.year}{pages}"


def sentence(part: str) -> str:
    """A part of a citation ended with one full stop (none added after '?' or '!')."""
    return part if part.endswith(("?", "!")) else part.rstrip(".") + "."


@dataclass(frozen=True)
class BasicCard:
    """A question/answer card; `reverse` asks for an answer-to-question card as well."""

    id: str
    question: str
    answer: str
    reverse: bool = False


@dataclass(frozen=True)
class ClozeCard:
    """A cloze card: Anki `{{c1::...}}` deletions inside the `cloze` text."""

    id: str
    cloze: str


Card = Union[BasicCard, ClozeCard]


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    status: Status
    sources: tuple[str, ...]
    plain: str | None = None
    tags: tuple[str, ...] = ()
    cards: tuple[Card, ...] = ()


@dataclass(frozen=True)
class Column:
    id: str
    title: str


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Image:
    """A picture file beside the content: its bytes are read and checked by the loader, so renderers do
    no I/O and a rebuild sees the same bytes the check saw."""

    file: str  # as written, relative to the content file's folder
    credit: str
    licence: str
    data: bytes = field(default=b"", repr=False, metadata={"set_by_loader": True})
    kind: str = field(default="", metadata={"set_by_loader": True})  # "png" or "jpeg"


@dataclass(frozen=True)
class Event:
    """One dated mark on a timeline; `fact` names the fact that states (and sources) it."""

    year: int
    label: str
    fact: str | None = None


@dataclass(frozen=True)
class Timeline:
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Chart:
    """Bars (or ranges, with `high`) drawn from a table's numeric columns."""

    table: str
    label: str  # the column that names each bar
    value: str  # the column of numbers (the low end of a range)
    unit: str
    high: str | None = None  # the column of range ends


@dataclass(frozen=True)
class Molecule:
    name: str
    smiles: str


@dataclass(frozen=True)
class Structure:
    molecules: tuple[Molecule, ...]


@dataclass(frozen=True)
class Figure:
    """A picture that teaches: one of an image, a timeline, a chart or molecular structures, with a caption,
    alt text for those who cannot see it, its sources, the facts whose cards show it, and the patient
    sheets that print it."""

    id: str
    caption: str
    alt: str
    sources: tuple[str, ...]
    facts: tuple[str, ...] = ()
    patient_sheets: tuple[str, ...] = ()
    image: Image | None = None
    timeline: Timeline | None = None
    chart: Chart | None = None
    structure: Structure | None = None

    @property
    def attribution(self) -> str | None:
        """'credit; licence' for an image, which every output prints where it shows it."""
        return f"{self.image.credit}; {self.image.licence}" if self.image is not None else None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    facts: tuple[Fact, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    subtitle: str
    language: str
    authors: tuple[str, ...]
    reviewers: tuple[str, ...]
    last_reviewed: dt.date
    review_due: dt.date
    version: str
    disclaimer: str
    audience: str = ""
    patient_disclaimer: str = ""


@dataclass(frozen=True)
class PatientSection:
    """One heading of the patient sheet and the facts whose plain texts it prints."""

    title: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class PatientSheet:
    """One patient edition for one audience (anesthesia, a treatment course): fact ids chosen by the author,
    never new claims; only the questions a reader may ask are the author's own words."""

    id: str
    title: str
    main_message: tuple[str, ...]
    sections: tuple[PatientSection, ...]
    key_points: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()

    def fact_ids(self) -> list[str]:
        """Every fact the sheet prints, in print order."""
        return [*self.main_message, *(f for part in self.sections for f in part.facts), *self.key_points]


@dataclass(frozen=True)
class TextField:
    """Where one text value stands in its file, so later checks (fonts, lint) can point at it."""

    path: str
    line: int
    column: int
    value: str


@dataclass(frozen=True)
class Content:
    """One content file, validated: ids are unique and every source id resolves."""

    topic: Topic
    references: tuple[Reference, ...]
    sections: tuple[Section, ...]
    patient_sheets: tuple[PatientSheet, ...]
    format: int = FORMAT_VERSION
    key_points: str | None = None
    # set by the loader, not read from the file: where the content came from, and every text with its position
    file: str = field(default="", compare=False, metadata={"set_by_loader": True})
    texts: tuple[TextField, ...] = field(default=(), compare=False, repr=False, metadata={"set_by_loader": True})

    def facts(self) -> Iterator[tuple[Section, Fact]]:
        for section in self.sections:
            for fact in section.facts:
                yield section, fact

    def cards(self) -> Iterator[tuple[Section, Fact, Card]]:
        for section, fact in self.facts():
            for card in fact.cards:
                yield section, fact, card

    @cached_property
    def fact_by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for _, fact in self.facts()}

    @cached_property
    def figure_numbers(self) -> dict[str, int]:
        """Figure id -> its number in print, in reading order ("Figure 1.")."""
        figures = [figure.id for section in self.reading_order() for figure in section.figures]
        return {figure_id: number for number, figure_id in enumerate(figures, 1)}

    @cached_property
    def figures_of_fact(self) -> dict[str, tuple[Figure, ...]]:
        """Fact id -> the figures that belong to it (shown with its cards, referred to after its text)."""
        found: dict[str, list[Figure]] = {}
        for section in self.sections:
            for figure in section.figures:
                for fact_id in figure.facts:
                    found.setdefault(fact_id, []).append(figure)
        return {fact_id: tuple(figures) for fact_id, figures in found.items()}

    def figures_on_sheet(self, sheet_id: str) -> list[Figure]:
        """The figures a patient sheet prints, in reading order."""
        return [figure for section in self.sections for figure in section.figures if sheet_id in figure.patient_sheets]

    @cached_property
    def table_numbers(self) -> dict[str, int]:
        """Table id -> its number in print, in reading order ("Table 1.")."""
        tables = [table.id for section in self.reading_order() for table in section.tables]
        return {table_id: number for number, table_id in enumerate(tables, 1)}

    @cached_property
    def table_by_id(self) -> dict[str, Table]:
        return {table.id: table for section in self.sections for table in section.tables}

    @cached_property
    def reference_by_id(self) -> dict[str, Reference]:
        return {ref.id: ref for ref in self.references}

    @cached_property
    def text_at(self) -> dict[str, TextField]:
        """Field path -> the text written there (so a problem finds its position at once)."""
        index: dict[str, TextField] = {}
        for text in self.texts:
            index.setdefault(text.path, text)
        return index

    def problem(self, path: str, message: str) -> Problem:
        """A problem at the field with this path (line 1, column 1 where the file has no such text);
        a trailing '.id' is left out of the path shown, which then names the item."""
        field = self.text_at.get(path)
        line, column = (field.line, field.column) if field else (1, 1)
        return Problem(line, column, self.file, path.removesuffix(".id"), message)

    def card_paths(self) -> Iterator[tuple[str, Section, Fact, Card]]:
        """Every card with the field path of its id, in reading order of the file."""
        for i, section in enumerate(self.sections):
            for j, fact in enumerate(section.facts):
                for k, card in enumerate(fact.cards):
                    yield f"sections[{i}].facts[{j}].cards[{k}].id", section, fact, card

    def reading_order(self) -> list[Section]:
        """Sections as the handout prints them: the key-points section (a box at the top) first."""
        return sorted(self.sections, key=lambda s: s.id != self.key_points)

    def cited_ids(self) -> list[str]:
        """Every citation of a reference, facts and table rows alike, in reading order."""
        cited = []
        for section in self.reading_order():
            cited += [s for f in section.facts for s in f.sources]
            cited += [s for t in section.tables for r in t.rows for s in r.sources]
            cited += [s for figure in section.figures for s in figure.sources]
        return cited

    @cached_property
    def citation_numbers(self) -> dict[str, int]:
        """Reference id -> [n], numbered by first citation in reading order, as in print."""
        numbers: dict[str, int] = {}
        for ref_id in self.cited_ids() + [ref.id for ref in self.references]:
            numbers.setdefault(ref_id, len(numbers) + 1)
        return numbers

    def numbered_references(self) -> list[tuple[int, Reference]]:
        """References in citation order, each with its number."""
        order = self.citation_numbers
        return sorted(((order[r.id], r) for r in self.references), key=lambda pair: pair[0])
