"""The print rules of a publisher's handout, measured on the rendered pages of the shipped content, on
A4 and on Letter: full pages, citation groups that never break, numbered table captions that repeat
their header row, metadata of its own for each edition."""

from __future__ import annotations

import re

import pytest
from reportlab.lib.units import mm

from generator import __version__
from generator.outputs import Options, cards as cards_pdf, handout as handout_pdf, patient as patient_pdf
from generator.outputs.citations import runs
from generator.outputs.typography import UNITS
from generator.source import inline
from generator.source.load import load
from generator.source.model import Content
from tests import pdf_inspect
from tests.conftest import EPOCH, KETAMINE

MARGIN = 20 * mm  # the handout's top and bottom margins (the frame's edges)
MOST_EMPTY = 0.25  # of a page's frame, below its last line


@pytest.fixture(scope="module")
def content() -> Content:
    return load(KETAMINE)


@pytest.fixture(scope="module", params=["a4", "letter"])
def handout(request, content: Content) -> bytes:
    return handout_pdf.render(content, Options(EPOCH, request.param))


def _body_runs(data: bytes) -> dict[int, list[tuple[float, str]]]:
    """(y, text) of every run inside the frame, by page."""
    height = pdf_inspect.page_sizes(data).pop()[1]
    pages: dict[int, list[tuple[float, str]]] = {}
    for page, text, _, _, y, _ in pdf_inspect.text_runs(data):
        if MARGIN < y < height - MARGIN:
            pages.setdefault(page, []).append((y, text))
    return pages


def test_no_page_but_the_last_is_more_than_a_quarter_empty(handout: bytes) -> None:
    height = pdf_inspect.page_sizes(handout).pop()[1]
    frame = height - 2 * MARGIN
    pages = _body_runs(handout)
    for page in sorted(pages)[:-1]:
        lowest = min(y for y, _ in pages[page])
        assert (lowest - MARGIN) / frame <= MOST_EMPTY, f"page {page + 1} is {(lowest - MARGIN) / frame:.0%} empty"


def test_citation_groups_are_compressed_to_ranges_and_never_broken(handout: bytes, content: Content) -> None:
    lines = [line for page in pdf_inspect.reader(handout).pages for line in page.extract_text().splitlines()]
    text = pdf_inspect.text(handout)
    for _, fact in content.facts():
        numbers = sorted(content.citation_numbers[s] for s in fact.sources)
        group = "[" + ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs(numbers)) + "]"
        assert pdf_inspect.fold(inline.plain(fact.text)) + " " + group in text, fact.id  # glued to the fact
        assert any(group in pdf_inspect.fold(line) for line in lines), f"{fact.id}: {group} broken across lines"
    for section in content.sections:
        for table in section.tables:
            for row in table.rows:  # in a table's narrow sources column too
                numbers = sorted(content.citation_numbers[s] for s in row.sources)
                group = "[" + ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs(numbers)) + "]"
                assert any(group in pdf_inspect.fold(line) for line in lines), f"{table.id}: {group} broken across lines"
    assert "[5–13]" in text


def test_a_number_is_never_split_from_its_unit(handout: bytes, content: Content) -> None:
    unit = re.compile(r"^(?:" + "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True))) + r")(?![^\W\d_])")
    lines = [line.strip() for page in pdf_inspect.reader(handout).pages for line in page.extract_text().splitlines()]
    split = [f"{line} / {after}" for line, after in zip(lines, lines[1:]) if re.search(r"\d$", line) and unit.match(after)]
    assert not split, split


def test_table_captions_are_numbered_and_a_split_table_repeats_its_header(handout: bytes) -> None:
    text = pdf_inspect.text(handout)
    assert re.search(r"Table 1\. Ketamine and esketamine by route of administration", text)
    assert re.search(r"Table 2\. Bioavailability by route", text)
    assert re.search(r"Table 4\. Side effects with a labeled frequency", text)  # numbered in reading order
    body = _body_runs(handout)
    spans = [page for page, runs_ in body.items() if any(t.strip() in ("Intravenous", "(suppository)") for _, t in runs_)]
    headers = {page for page, runs_ in body.items() if any(t.strip() == "Bioavailability" for _, t in runs_)}
    assert set(range(min(spans), max(spans) + 1)) <= headers, "the header row prints on every page the table spans"


def test_each_edition_has_its_own_metadata(content: Content) -> None:
    editions = {"handout": handout_pdf.render(content, Options(EPOCH)),
                "patient": patient_pdf.render(content, Options(EPOCH)),
                "cards": cards_pdf.render(content, Options(EPOCH))}
    metas = {name: pdf_inspect.reader(data).metadata for name, data in editions.items()}
    assert len({meta.title for meta in metas.values()}) == 3
    assert len({meta.get("/Keywords") for meta in metas.values()}) == 3
    for meta in metas.values():
        assert meta.get("/Creator") == meta.get("/Producer") == f"factpack {__version__}"
        assert content.topic.title in meta.get("/Keywords")


def test_the_running_head_names_the_section(handout: bytes) -> None:
    pages = pdf_inspect.reader(handout).pages
    assert pages[0].extract_text().splitlines()[0] == "Ketamine"  # the title page has no running head
    heads = [page.extract_text().splitlines()[0] for page in pages[1:]]
    assert all(head.startswith("Ketamine · ") for head in heads)
    assert "Ketamine · References" in heads


def test_a_measure_of_about_60_to_75_characters(content: Content) -> None:
    import statistics

    for data in (handout_pdf.render(content, Options(EPOCH)), patient_pdf.render(content, Options(EPOCH))):
        full = [len(line) for page in pdf_inspect.reader(data).pages for line in page.extract_text().splitlines()
                if len(line) > 40]  # lines that run the width of the text, more or less
        assert 60 <= statistics.median(full) <= 75
