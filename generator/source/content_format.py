"""The content format, version 2, as data: the loader reads files with it and `factpack schema`
describes it as JSON Schema. Field descriptions here are what editors show on hover."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from generator.source import cloze, inline
from generator.source.model import (
    FORMAT_VERSION, BasicCard, Chart, ClozeCard, Column, Content, Fact, PatientSection, PatientSheet, Reference,
    Row, Section, Status, Table, Topic,
)
from generator.source.figure_format import FIGURE
from generator.source.nodes import Context, child
from generator.source.specs import (
    CLOZE as CLOZE_MARKERS, PLAIN, SLUG, Boolean, Choice, Date, Field, Id, Integer, ListOf, Record, Ref, Text, TextMap,
    shortened, slug_text,
)

TEXT = Text()  # prose: inline formatting allowed
NAME = Text(inline=PLAIN)  # people, publishers, journals, versions: printed as written, in metadata too
SLUG_TEXT = slug_text()
URL = Text(r"^https?://[^\s/$.?#\"<>][^\s\"<>]*$", "an http(s) URL such as https://example.org/page")
LANGUAGE = Text(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "a BCP 47 language tag such as 'en' or 'en-GB'")
PMID = Text(r"^[0-9]{1,9}$", "a PubMed id (digits only)")
DOI = Text(r"^10\.[0-9]{4,9}/\S+$", "a DOI such as 10.1000/xyz123 (without https://doi.org/)")
VOLUME = Text(r"^[0-9A-Za-z](?:[0-9A-Za-z.-]| (?=[0-9A-Za-z])){0,19}$", "a volume or issue number such as 178, 3 or Suppl 2",
              one_line=True)
PAGES = Text(r"^[0-9A-Za-z]{1,12}(-[0-9A-Za-z]{1,12}(\.[0-9A-Za-z]{1,8})?)?$",
             "a page range such as 193-202 or 247-258.e18, or an article number such as e123")
CLOZE = Text(rule=cloze.problem, inline=CLOZE_MARKERS)
# headings, labels and footers: one short line, plain text (titles name decks, bookmarks, the page's title)
TITLE = Text(max_chars=200, one_line=True, inline=PLAIN)
LINE = Text(max_chars=200, one_line=True)  # a short line that may be formatted: column titles, questions
MAX_ID_CHARS = 100
MAX_TOPIC_ID_CHARS = 64  # it names the output files, which must stay well under 255 bytes
MAX_COLUMNS = 8  # more do not fit the 170 mm text column legibly
MAX_CELL_CHARS = 300  # a table row cannot break across pages: keep each row well under a page
MAX_BOX_FACTS = 8  # the key-points box
MAX_BOX_FACT_CHARS = 1500  # a paragraph in a box cannot break across pages: keep it well under a page
MAX_DISCLAIMER_CHARS = 1000
MAX_BAR_LABEL_CHARS = 32  # a chart's bar names take at most 40 % of its width
MAX_SHEET_ID_CHARS = 40  # it names a file, after the topic id: ID-patient-SHEET.pdf
MAX_QUESTIONS = 8  # a patient sheet is one sheet of paper


def _deck_name_problem(title: str) -> str | None:
    """Anki splits deck names at '::' and trims ':' at the ends: such a title would merge or empty a deck."""
    if "::" in title or title.startswith(":") or title.endswith(":"):
        return "names an Anki deck, so it cannot hold '::' or begin or end with ':'"
    return None


DECK_TITLE = Text(max_chars=200, one_line=True, rule=_deck_name_problem, inline=PLAIN)


def deck_key(title: str) -> str:
    """How Anki tells deck names apart: canonical Unicode (NFC), case ignored."""
    return unicodedata.normalize("NFC", title).casefold()


def _id(kind: str) -> Id:
    return Id(SLUG, SLUG_TEXT.what, kind=kind, max_chars=MAX_ID_CHARS)


def _ref(kind: str) -> Ref:
    return Ref(SLUG, SLUG_TEXT.what, kind=kind)


class PlainFactRef(Ref):
    """A fact id whose plain-language text the patient sheet prints: the fact must have one."""

    def read(self, ctx: Context, node: yaml.Node, path: str) -> str | None:
        value = Text.read(self, ctx, node, path)
        facts, plain = ctx.claimed.get("fact", {}), ctx.claimed.get("plain-fact", {})
        if value is None:
            return None
        if value not in facts:
            ctx.error(node, path, f"unknown fact '{value}'{ctx.suggest(value, facts)}")
        elif value not in plain:
            ctx.error(node, path, f"fact '{value}' has no 'plain' text for the patient sheet")
        return value


FORMAT_1_CHANGE = ("; format 2 replaced 'patient_sheet' with 'patient_sheets', a list of sheets each with an "
                   "'id' and a 'title' (docs/content-format.md)")


def _check_content(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    """The format version; section titles that Anki would merge; a key-points section with tables."""
    version = values.get("format")
    if version is not None and version != FORMAT_VERSION:
        ctx.error(child(node, "format"), "format",
                  f"format {version} is not supported; this factpack reads format {FORMAT_VERSION}"
                  + (FORMAT_1_CHANGE if version == 1 else ""))
    sections = [s for s in values.get("sections") or () if s is not None and s.title is not None]
    section_nodes = getattr(child(node, "sections"), "value", [])
    first: dict[str, str] = {}
    for i, section in enumerate(sections):
        key = deck_key(section.title)
        if key in first and i < len(section_nodes):
            ctx.error(child(section_nodes[i], "title"), f"sections[{i}].title",
                      f"same title as section '{first[key]}' once case is ignored; Anki would merge their decks")
        first.setdefault(key, section.id)
        if section.id == values.get("key_points") and i < len(section_nodes):
            _check_box(ctx, section_nodes[i], f"sections[{i}]", section)
        if section.id == values.get("key_points") and section.tables and i < len(section_nodes):
            ctx.error(child(section_nodes[i], "tables"), f"sections[{i}].tables",
                      "the key-points section is printed as a box of facts and cannot hold tables")
        if section.id == values.get("key_points") and section.figures and i < len(section_nodes):
            ctx.error(child(section_nodes[i], "figures"), f"sections[{i}].figures",
                      "the key-points section is printed as a box of facts and cannot hold figures")
    _check_figures(ctx, sections, section_nodes, values.get("patient_sheets") or ())


def _check_figures(ctx: Context, sections: list[Section], section_nodes: list[yaml.Node],
                   sheets: tuple[PatientSheet | None, ...]) -> None:
    """What a figure names elsewhere in the file exists: its facts, patient sheets, events' facts, and the
    chart's table with numeric columns."""
    facts = {fact.id for section in sections for fact in section.facts or () if fact is not None}
    sheet_ids = {sheet.id for sheet in sheets if sheet is not None}
    tables = {table.id: table for section in sections for table in section.tables or () if table is not None}
    for i, section in enumerate(sections):
        figure_nodes = getattr(child(section_nodes[i], "figures"), "value", []) if i < len(section_nodes) else []
        for j, (figure, node) in enumerate(zip(section.figures or (), figure_nodes)):
            if figure is None:
                continue
            path = f"sections[{i}].figures[{j}]"
            for name, known, kind in (("facts", facts, "fact"), ("patient_sheets", sheet_ids, "patient sheet")):
                for k, (item, item_node) in enumerate(zip(getattr(figure, name) or (),
                                                          getattr(child(node, name), "value", []))):
                    if item is not None and item not in known:
                        ctx.error(item_node, f"{path}.{name}[{k}]", f"unknown {kind} '{item}'{ctx.suggest(item, known)}")
            if figure.timeline is not None:
                event_nodes = getattr(child(child(node, "timeline"), "events"), "value", [])
                for k, (event, event_node) in enumerate(zip(figure.timeline.events or (), event_nodes)):
                    if event is not None and event.fact is not None and event.fact not in facts:
                        ctx.error(child(event_node, "fact"), f"{path}.timeline.events[{k}].fact",
                                  f"unknown fact '{event.fact}'{ctx.suggest(event.fact, facts)}")
            if figure.chart is not None:
                _check_chart(ctx, child(node, "chart"), f"{path}.chart", figure.chart, tables)


def _check_chart(ctx: Context, node: yaml.Node, path: str, chart: Chart, tables: dict[str, Table]) -> None:
    """The chart's table exists, names the columns, and its value columns hold a number in every row."""
    table = tables.get(chart.table)
    if table is None:
        if chart.table is not None:
            ctx.error(child(node, "table"), f"{path}.table", f"unknown table '{chart.table}'{ctx.suggest(chart.table, tables)}")
        return
    columns = [column.id for column in table.columns]
    for name in ("label", "value", "high"):
        column = getattr(chart, name)
        if column is not None and column not in columns:
            ctx.error(child(node, name), f"{path}.{name}",
                      f"table '{table.id}' has no column '{column}'{ctx.suggest(column, columns)}")
            return
    for name in ("value", "high"):
        column = getattr(chart, name)
        if column is None:
            continue
        index = columns.index(column)
        for row in table.rows:
            if number(row.cells[index]) is None:
                ctx.error(child(node, name), f"{path}.{name}",
                          f"column '{column}' of table '{table.id}' must hold a number in every row; row "
                          f"'{row.id}' has '{shortened(row.cells[index]) or 'nothing'}'")
                return
    label_at = columns.index(chart.label)
    for row in table.rows:
        if len(inline.plain(row.cells[label_at])) > MAX_BAR_LABEL_CHARS:
            ctx.error(child(node, "label"), f"{path}.label",
                      f"row '{row.id}' names its bar with {len(inline.plain(row.cells[label_at]))} characters; a "
                      f"chart's bar names fit in {MAX_BAR_LABEL_CHARS}: shorten the cell or chart another column")
            return
    if chart.high is not None:
        low_at, high_at = columns.index(chart.value), columns.index(chart.high)
        for row in table.rows:
            if number(row.cells[high_at]) < number(row.cells[low_at]):
                ctx.error(child(node, "high"), f"{path}.high", f"row '{row.id}' ends its range "
                          f"({inline.plain(row.cells[high_at])}) below its start ({inline.plain(row.cells[low_at])})")
                return


def number(cell: str) -> float | None:
    """A chart value: digits with an optional decimal point (no units, no words; formatting marks are read
    through), else None."""
    shown = inline.plain(cell).strip()
    return float(shown) if re.fullmatch(r"[0-9]{1,9}(\.[0-9]{1,6})?", shown) else None


def _check_box(ctx: Context, node: yaml.Node, path: str, section: Section) -> None:
    """The key-points section prints as a box: a few facts, each short enough to stay on one page."""
    facts = [fact for fact in section.facts or () if fact is not None]
    if len(facts) > MAX_BOX_FACTS:
        ctx.error(child(node, "facts"), f"{path}.facts",
                  f"the key-points section has {len(facts)} facts; its box holds at most {MAX_BOX_FACTS}")
    fact_nodes = getattr(child(node, "facts"), "value", [])
    for j, (fact, fact_node) in enumerate(zip(facts, fact_nodes)):
        if fact.text and len(fact.text) > MAX_BOX_FACT_CHARS:
            ctx.error(child(fact_node, "text"), f"{path}.facts[{j}].text",
                      f"is {len(fact.text):,} characters long; a key point is at most {MAX_BOX_FACT_CHARS:,}")


def _check_fact(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    if values.get("status") is not None:
        values["status"] = Status(values["status"])
    if values.get("id") is not None and values.get("plain"):
        ctx.claim("plain-fact", values["id"], node.start_mark.line + 1)


def _check_reference(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    if values.get("issue") is not None and values.get("volume") is None:
        ctx.error(child(node, "issue"), f"{path}.issue", "an issue needs its volume: add 'volume'")


def _check_card(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    if "cloze" in values:
        if {"question", "answer", "reverse"} & values.keys():
            ctx.error(node, path, "a card has either 'question' and 'answer', or 'cloze', not both")
        return
    missing = [name for name in ("question", "answer") if name not in values]
    if missing:
        wanted = " and ".join(f"'{m}'" for m in missing)
        ctx.error(node, path, f"missing required field {wanted} (or give 'cloze' instead)")


def _build_card(values: dict[str, Any]) -> BasicCard | ClozeCard:
    if "cloze" in values:
        return ClozeCard(id=values.get("id"), cloze=values["cloze"])
    return BasicCard(id=values.get("id"), question=values.get("question"), answer=values.get("answer"),
                     reverse=bool(values.get("reverse")))


def _unique(ctx: Context, items_node: yaml.Node, path: str, kind: str, ids: list[str | None]) -> None:
    """Report ids that repeat within one table (columns and rows are scoped to their table)."""
    first: dict[str, int] = {}
    for i, (item_id, item_node) in enumerate(zip(ids, getattr(items_node, "value", []))):
        if item_id is None:
            continue
        if item_id in first:
            ctx.error(item_node, f"{path}[{i}].id", f"duplicate {kind} id '{item_id}' (first at line {first[item_id]})")
        first.setdefault(item_id, item_node.start_mark.line + 1)


def _check_table(ctx: Context, node: yaml.MappingNode, path: str, values: dict[str, Any]) -> None:
    """Column and row ids are unique in the table; cells name known columns; rows become Row objects."""
    columns = [c for c in values.get("columns") or () if c is not None]
    _unique(ctx, child(node, "columns"), f"{path}.columns", "column", [c.id for c in columns])
    raw_rows = values.get("rows") or ()
    _unique(ctx, child(node, "rows"), f"{path}.rows", "row", [r.get("id") if r else None for r in raw_rows])
    column_ids = [c.id for c in columns if c.id is not None]
    rows = []
    for i, raw in enumerate(raw_rows):
        if raw is None:
            continue
        cells = raw.get("cells") or {}
        for name, (_, key) in cells.items():
            if name not in column_ids:
                ctx.error(key, f"{path}.rows[{i}].cells.{name}",
                          f"unknown column '{shortened(name)}'{ctx.suggest(name, column_ids)}")
        texts = tuple((cells.get(cid) or ("", None))[0] or "" for cid in column_ids)
        rows.append(Row(id=raw.get("id"), cells=texts, sources=raw.get("sources")))
    values["columns"], values["rows"] = tuple(columns), tuple(rows)


SOURCES = ListOf(_ref("reference"), 1)
CARD = Record("Card", (
    Field("id", _id("card"), description="Stable id of this card; Anki finds the student's note by it. Never reuse."),
    Field("question", TEXT, False, "Front of a question/answer card."),
    Field("answer", TEXT, False, "Back of a question/answer card: keep it short."),
    Field("reverse", Boolean(), False, "Also ask the answer -> question card."),
    Field("cloze", CLOZE, False, "Cloze text instead of question/answer: {{c1::hidden}} or {{c1::hidden::hint}}."),
), model=(BasicCard, ClozeCard), build=_build_card, check=_check_card, exclusive=(("question", "answer"), ("cloze",)))

FACT = Record("Fact", (
    Field("id", _id("fact"), description="Stable id of this fact."),
    Field("text", TEXT, description="The precise statement, for students and clinicians."),
    Field("plain", TEXT, False, "The same in plain language for patients: short sentences, everyday words."),
    Field("status", Choice(tuple(s.value for s in Status)),
          description="approved (on a current label, named in the text), off-label, investigational, or "
                      "not-applicable (anything that is not a use)."),
    Field("sources", SOURCES, description="Ids of the references that support this fact."),
    Field("tags", ListOf(SLUG_TEXT), False, "Become Anki tags TOPIC::tag::TAG."),
    Field("cards", ListOf(CARD), False, "Flashcards drawn from this fact."),
), model=Fact, check=_check_fact)

TABLE = Record("Table", (
    Field("id", _id("table"), description="Stable id of this table."),
    Field("title", TITLE, description="The table's caption."),
    Field("columns", ListOf(Record("Column", (Field("id", SLUG_TEXT), Field("title", LINE)), model=Column), 1,
                            MAX_COLUMNS), description="Columns in print order."),
    Field("rows", ListOf(Record("Row", (
        Field("id", SLUG_TEXT, description="Stable id of this row."),
        Field("cells", TextMap(Text(max_chars=MAX_CELL_CHARS)),
              description="Column id -> text; a missing cell prints as a dash."),
        Field("sources", SOURCES, description="References that support every value in the row."),
    ), model=Row, build=dict), 1), description="The rows, each sourced."),
), model=Table, check=_check_table)

SECTION = Record("Section", (
    Field("id", _id("section"), description="Stable id; becomes a bookmark and an Anki tag."),
    Field("title", DECK_TITLE, description="Heading; also the Anki subdeck's name."),
    Field("intro", TEXT, description="One or two sentences under the heading."),
    Field("facts", ListOf(FACT, 1), description="The facts of this section, in reading order."),
    Field("tables", ListOf(TABLE), False, "Structured data printed as tables."),
    Field("figures", ListOf(FIGURE), False, "Pictures, timelines, charts and molecular structures, after the tables."),
), model=Section)

REFERENCE = Record("Reference", (
    Field("id", _id("reference"), description="What facts cite in 'sources'."),
    Field("authors", ListOf(NAME), False, "Vancouver style, 'Surname AB'; three are printed, then et al."),
    Field("publisher", NAME, False, "The body that issued it, when there are no personal authors."),
    Field("title", TEXT, description="The document's title."),
    Field("published_in", NAME, description="Journal, site or database."),
    Field("year", Integer(1000, 2100), description="Year of the version cited."),
    Field("volume", VOLUME, False, "A journal's volume (or a register's), printed after the year: 2021;178."),
    Field("issue", VOLUME, False, "The issue within the volume: 2021;178(2). Needs a volume."),
    Field("pages", PAGES, False, "First and last page, 193-202 (printed with an en dash), or an article number."),
    Field("url", URL, description="https:// (or http://) address, printed in full in the handout."),
    Field("pmid", PMID, False, "PubMed id, digits only."),
    Field("doi", DOI, False, "DOI without https://doi.org/."),
), model=Reference, either=("authors", "publisher"), check=_check_reference)

TOPIC = Record("Topic", (
    Field("id", Text(SLUG, SLUG_TEXT.what, max_chars=MAX_TOPIC_ID_CHARS),
          description="Names the outputs (ID-handout.pdf, ID.apkg) and prefixes Anki tags."),
    Field("title", DECK_TITLE, description="Document title; the Anki parent deck's name."),
    Field("subtitle", TITLE, description="One line under the title."),
    Field("language", LANGUAGE, description="BCP 47 language tag, such as en or en-GB."),
    Field("audience", TEXT, False, "Who the material is for."),
    Field("authors", ListOf(NAME, 1), description="Who wrote it."),
    Field("reviewers", ListOf(NAME, 1), description="Who checked it."),
    Field("last_reviewed", Date(), description="Printed on every page and in the deck description."),
    Field("review_due", Date(), description="When the content must be checked again."),
    Field("version", NAME, description="The content's version, such as \"2026.11\"."),
    Field("disclaimer", Text(max_chars=MAX_DISCLAIMER_CHARS),
          description="Printed in the handout and the deck description (and the patient sheets, if they have none)."),
    Field("patient_disclaimer", Text(max_chars=MAX_DISCLAIMER_CHARS), False,
          "Printed on the patient sheets instead of the disclaimer: written to the reader, in plain words."),
), model=Topic)

PATIENT_FACTS = ListOf(PlainFactRef(SLUG, SLUG_TEXT.what, kind="fact"), 1)
PATIENT_SHEET = Record("Patient sheet", (
    Field("id", Id(SLUG, SLUG_TEXT.what, kind="patient sheet", max_chars=MAX_SHEET_ID_CHARS),
          description="Names the file: ID-patient-SHEET.pdf."),
    Field("title", TITLE, description="The sheet's title, saying who it is for, such as "
                                      "\"Ketamine for anesthesia or sedation\"."),
    Field("main_message", PATIENT_FACTS, description="Facts whose plain texts open the sheet, in a box."),
    Field("sections", ListOf(Record("Patient section", (
        Field("title", TITLE, description="Heading on the patient sheet."),
        Field("facts", PATIENT_FACTS, description="Facts whose plain texts it prints."),
    ), model=PatientSection), 1), description="Headings in print order."),
    Field("questions", ListOf(LINE, 1, MAX_QUESTIONS), False,
          "Questions the reader may want to ask the care team, printed as a list."),
    Field("key_points", PATIENT_FACTS, False, "Facts whose plain texts close the sheet, under 'Key points'."),
), model=PatientSheet)

CONTENT = Record("factpack content (format 2)", (
    Field("format", Integer(1, 999), description="The format version: 2."),
    Field("topic", TOPIC, description="What the content is about, who wrote it, when it was reviewed."),
    Field("references", ListOf(REFERENCE, 1), description="The sources that facts cite."),
    Field("sections", ListOf(SECTION, 1), description="The content, in reading order."),
    Field("key_points", _ref("section"), False,
          "Id of the section printed as the study handout's key-points box (and not again as a section)."),
    Field("patient_sheets", ListOf(PATIENT_SHEET, 1), description="The patient editions, one sheet each: "
                                                                  "one per audience, such as a procedure or a treatment."),
), model=Content, check=_check_content)
