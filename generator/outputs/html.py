"""Content -> one self-contained, accessible web page: the study handout and the patient sheets.

ReportLab cannot write tagged PDF, so a screen reader cannot follow our PDFs; this page can. It holds
the same sections, status labels, tables, key points and numbered references as the handout, with
citations that link to the reference list and back, and each patient sheet as its own part. It needs
no network and no script: styles are inline (light, dark and print), fonts are the reader's own.

The page is written by a Jinja2 template with autoescaping on, so content text can never become
markup; text fields that allow inline formatting go through the `inline` filter, which escapes every
run and adds only <b> <i> <sub> <sup>. This module only arranges the model into what the template shows.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache

import jinja2
import markupsafe

from generator import __version__
from generator.outputs import Options, citations, figures, ids, markup
from generator.outputs.figures import svg
from generator.source.model import Content, Fact, Figure, Status, Table

STATUS_WORDS = {  # the handout's labels; the shape keeps them apart without colour
    Status.APPROVED: ("\u2713", "Approved"),
    Status.OFF_LABEL: ("\u25c6", "Off-label"),
    Status.INVESTIGATIONAL: ("\u25b2", "Investigational"),
}
PATIENT_STATUS_WORDS = {
    Status.APPROVED: ("\u2713", "Approved for this use:"),
    Status.OFF_LABEL: ("\u25c6", "Not approved for this use:"),
    Status.INVESTIGATIONAL: ("\u25b2", "Still being studied:"),
}
LEGEND = {
    Status.APPROVED: "on a current regulatory label for this use",
    Status.OFF_LABEL: "used in practice outside the label",
    Status.INVESTIGATIONAL: "still under study",
}


@dataclass(frozen=True)
class CiteLink:
    """One number or range of a citation group: its text, the reference it opens, and its own id (the
    reference list links back to it)."""

    text: str
    label: str  # what a screen reader hears before the number: "Reference" or "References"
    href: str
    id: str


@dataclass(frozen=True)
class BackLink:
    href: str
    label: str


class Citations:
    """Citation groups of the whole page, numbered as in print, remembering where each reference is cited
    so that its entry can link back."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.back: dict[str, list[BackLink]] = {}

    def group(self, place: str, sources: tuple[str, ...], where: str) -> list[CiteLink]:
        """The links of '[1, 3–5]' for the sources cited at `place` (a fact id, or 'table_row' for a table row):
        each link's id joins place and reference with '_', which no content id holds, so no two can meet."""
        by_number = {self.content.citation_numbers[s]: s for s in sources}
        links = []
        for first, last in citations.runs(list(by_number)):
            link_id = f"cite_{place}_{by_number[first]}"
            text = str(first) if first == last else f"{first}{citations.RANGE_DASH}{last}"
            links.append(CiteLink(text, "Reference" if first == last else "References",
                                  f"#{ids.anchor('ref', by_number[first])}", link_id))
            for number in range(first, last + 1):
                if number in by_number:
                    self.back.setdefault(by_number[number], []).append(BackLink(f"#{link_id}", where))
        return links


def _status(status: Status, words: dict[Status, tuple[str, str]]) -> dict[str, str] | None:
    if status not in words:
        return None
    mark, label = words[status]
    return {"mark": mark, "label": label, "key": status.value}


def _fact(content: Content, fact: Fact, cites: Citations, where: str) -> dict:
    numbers = [(content.figure_numbers[figure.id], figure.id) for figure in content.figures_of_fact.get(fact.id, ())]
    see = figures.see_also(numbers, lambda text, figure_id: markupsafe.Markup('<a href="#{}">{}</a>').format(
        ids.anchor("figure", figure_id), text))
    return {"id": ids.anchor("fact", fact.id), "text": fact.text, "status": _status(fact.status, STATUS_WORDS),
            "cites": cites.group(fact.id, fact.sources, where),
            "see": markupsafe.Markup(f" ({see})") if see else ""}


def _picture(content: Content, figure: Figure, element_id: str) -> markupsafe.Markup:
    """Inline SVG (styled by the page, so dark mode applies) or the image as a data URL."""
    if figure.image is not None:
        encoded = base64.b64encode(figure.image.data).decode("ascii")
        media_type = "svg+xml" if figure.image.kind == "svg" else figure.image.kind  # an <img> runs no script
        return markupsafe.Markup('<img src="data:image/{};base64,{}" alt="{}">').format(media_type, encoded, figure.alt)
    return markupsafe.Markup(svg.svg(figures.scene(content, figure), figure.alt, element_id, standalone=False))


def _figure(content: Content, figure: Figure, cites: Citations, where: str) -> dict:
    """A figure as the handout part shows it: the picture, its numbered caption, sources and, for a chart,
    the table it is drawn from."""
    element_id = ids.anchor("figure", figure.id)
    picture = _picture(content, figure, element_id)
    data = None
    if figure.chart is not None:
        data = {"href": f"#{ids.anchor('table', figure.chart.table)}",
                "number": content.table_numbers[figure.chart.table]}
    return {"id": element_id, "caption": f"Figure {content.figure_numbers[figure.id]}. {figure.caption}",
            "picture": picture, "cites": cites.group(figure.id, figure.sources, where), "data": data,
            "credit": figure.attribution}


def _table(table: Table, number: int, cites: Citations, where: str) -> dict:
    rows = [{"head": row.cells[0] or "\u2014", "cells": [cell or "\u2014" for cell in row.cells[1:]],
             "cites": cites.group(f"{table.id}_{row.id}", row.sources, where)} for row in table.rows]
    return {"id": ids.anchor("table", table.id), "caption": f"Table {number}. {table.title}",
            "columns": [column.title for column in table.columns], "rows": rows}


def _sections(content: Content, cites: Citations) -> tuple[dict | None, list[dict]]:
    """The key-points section (shown as a box) and the others, in reading order."""
    key_points, sections, tables = None, [], 0
    for section in content.reading_order():
        where = section.title
        shown = {"id": ids.anchor("section", section.id), "title": section.title, "intro": section.intro,
                 "facts": [_fact(content, fact, cites, where) for fact in section.facts], "tables": [],
                 "figures": [_figure(content, figure, cites, where) for figure in section.figures]}
        for table in section.tables:
            tables += 1
            shown["tables"].append(_table(table, tables, cites, where))
        if section.id == content.key_points:
            key_points = shown
        else:
            sections.append(shown)
    return key_points, sections


def _patient_sheets(content: Content) -> list[dict]:
    facts = content.fact_by_id

    def plain(fact_id: str) -> dict:
        fact = facts[fact_id]
        return {"text": fact.plain or "", "status": _status(fact.status, PATIENT_STATUS_WORDS)}

    def shown(sheet_id: str, figure: Figure) -> dict:
        element_id = f"patient-{sheet_id}_{ids.anchor('figure', figure.id)}"
        return {"id": element_id, "caption": figure.caption, "picture": _picture(content, figure, element_id),
                "credit": figure.attribution}

    return [{"id": f"patient-{sheet.id}", "title": sheet.title,
             "main_message": [plain(f) for f in sheet.main_message],
             "sections": [{"id": f"patient-{sheet.id}_{n}", "title": part.title, "facts": [plain(f) for f in part.facts]}
                          for n, part in enumerate(sheet.sections)],
             "figures": [shown(sheet.id, figure) for figure in content.figures_on_sheet(sheet.id)],
             "questions": list(sheet.questions), "key_points": [plain(f) for f in sheet.key_points]}
            for sheet in content.patient_sheets]


def _references(content: Content, cites: Citations) -> list[dict]:
    shown = []
    for number, ref in content.numbered_references():
        links = [{"text": ref.pmid, "href": f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/", "prefix": "PMID: "}
                 if ref.pmid else None,
                 {"text": ref.doi, "href": f"https://doi.org/{ref.doi}", "prefix": "doi: "} if ref.doi else None]
        shown.append({"id": ids.anchor("ref", ref.id), "number": number, "credit": ref.credit, "title": ref.title,
                      "venue": ref.published_in.rstrip("."), "locator": ref.locator,
                      "url": ref.url if ref.url_is_extra else None,
                      "links": [link for link in links if link], "back": cites.back.get(ref.id, [])})
    return shown


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("generator.outputs", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["inline"] = markup.html_inline  # formatted text fields: escaped runs in <b> <i> <sub> <sup>
    return env.get_template("edition.html.j2")


def render(content: Content, options: Options) -> bytes:
    """The web edition as UTF-8 bytes; identical for identical content."""
    cites = Citations(content)
    key_points, sections = _sections(content, cites)
    topic = content.topic
    page = _template().render(
        topic=topic, version=__version__, key_points=key_points, sections=sections,
        patient_sheets=_patient_sheets(content),
        legend=[(_status(status, STATUS_WORDS), meaning) for status, meaning in LEGEND.items()],
        references=_references(content, cites),  # after the sections: their citations fill the back links
        patient_disclaimer=topic.patient_disclaimer or topic.disclaimer,
    )
    return page.encode("utf-8")
