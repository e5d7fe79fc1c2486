"""Both PDF editions of the shipped content: print-safe, right size, right type size, all fonts embedded."""

from __future__ import annotations

import statistics

import pytest
from reportlab.lib.units import mm

from generator.outputs import handout as handout_pdf, patient as patient_pdf
from generator.outputs import Options
from generator.source.load import load
from generator.source.model import Content
from tests import pdf_inspect
from tests.conftest import EPOCH, KETAMINE

PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
FOOTER_TOP = 20 * mm  # the running footer sits below the body frame
HEAD_ROOM = 20 * mm  # and the running head above it


@pytest.fixture(scope="module")
def content() -> Content:
    return load(KETAMINE)


@pytest.fixture(scope="module", params=sorted(PAPERS))
def editions(request, content: Content) -> dict[str, bytes]:
    paper = request.param
    return {"paper": paper, "handout": handout_pdf.render(content, Options(EPOCH, paper)),
            "patient": patient_pdf.render(content, Options(EPOCH, paper))}


def test_page_size_matches_paper(editions) -> None:
    for name in ("handout", "patient"):
        assert pdf_inspect.page_sizes(editions[name]) == {PAPERS[editions["paper"]]}


def test_patient_edition_fits_one_sheet(editions) -> None:
    assert len(pdf_inspect.reader(editions["patient"]).pages) <= 2


def test_fonts_are_embedded_truetype_only(editions) -> None:
    for name in ("handout", "patient"):
        fonts = pdf_inspect.fonts(editions[name])
        assert fonts and all(embedded for _, embedded in fonts)
        assert not {n.split("+")[-1] for n, _ in fonts} & pdf_inspect.STANDARD_14


def test_no_text_within_9_mm_of_any_edge(editions) -> None:
    width, height = PAPERS[editions["paper"]]
    edge = 9 * mm
    for name in ("handout", "patient"):
        for page, text, size, x, y, run_width in pdf_inspect.text_runs(editions[name]):
            assert edge <= x and x + run_width <= width - edge, (name, page, text)
            assert edge <= y <= height - edge, (name, page, text)


def test_body_type_sizes(editions) -> None:
    minimum = {"handout": 10, "patient": 12}
    for name, smallest in minimum.items():
        head_bottom = PAPERS[editions["paper"]][1] - HEAD_ROOM
        body = [(t, s) for _, t, s, _, y, _ in pdf_inspect.text_runs(editions[name]) if FOOTER_TOP < y < head_bottom]
        assert body and min(s for _, s in body) >= smallest - 0.01, name


def test_headings_are_never_stranded_at_the_bottom_of_a_page(editions) -> None:
    """The last line of every page's body is never a heading (headings keep with what follows)."""
    heading_sizes = {15.75, 12.075, 18.0}  # h1 and h2 of the handout (10.5 pt base), h1 of the patient sheet
    for name in ("handout", "patient"):
        by_page: dict[int, list] = {}
        for page, text, size, x, y, width, font in pdf_inspect.text_runs_with_fonts(editions[name]):
            if y > FOOTER_TOP:
                by_page.setdefault(page, []).append((y, size, font, text))
        for page, runs in by_page.items():
            if page == max(by_page):
                continue
            y, size, font, text = min(runs)
            assert not (font.endswith("Bold") and round(size, 3) in heading_sizes), (name, page, text)


def test_patient_lines_are_45_to_75_characters(editions) -> None:
    text = pdf_inspect.reader(editions["patient"]).pages[0].extract_text()
    lengths = [len(line) for line in text.splitlines() if len(line) > 30]  # full lines, not line ends
    assert 45 <= statistics.median(lengths) <= 75
    assert max(lengths) <= 85  # "about" 75: a line of narrow letters may run a little longer


def test_headings_and_every_fact_in_the_study_edition(editions, content: Content) -> None:
    text = pdf_inspect.text(editions["handout"])
    for heading in ("Key points", "Contents", "References"):
        assert heading in text
    for section, fact in content.facts():
        if section.id != content.key_points:
            assert section.title in text
        assert pdf_inspect.fold(fact.text) in text, fact.id
    for ref in content.references:
        assert ref.url in text.replace(" ", "") or ref.url in text, ref.id


def test_patient_edition_headings_and_texts(editions, content: Content) -> None:
    text = pdf_inspect.text(editions["patient"])
    sheet = content.patient_sheet
    for heading in ["The main message:", *(p.title for p in sheet.sections), "Key points", "Last reviewed"]:
        assert heading in text
    for fact_id in [*sheet.main_message, *(f for p in sheet.sections for f in p.facts), *sheet.key_points]:
        assert pdf_inspect.fold(content.fact_by_id[fact_id].plain) in text, fact_id
    assert pdf_inspect.fold(content.topic.disclaimer) in text


def test_status_badges_and_legend(editions) -> None:
    for name in ("handout", "patient"):
        text = pdf_inspect.text(editions[name])
        assert "Labels: [✓ Approved]" in text
    assert "[◆ Off-label]" in pdf_inspect.text(editions["handout"])
    assert "[▲ Investigational]" in pdf_inspect.text(editions["handout"])


def test_bookmarks_follow_headings(editions, content: Content) -> None:
    outline = pdf_inspect.outline_titles(editions["handout"])
    top = [title for depth, title in outline if depth == 0]
    assert top == [s.title for s in content.sections if s.id != content.key_points] + ["References"]
    assert (1, "Ketamine and esketamine by route of administration") in outline


def test_metadata(editions, content: Content) -> None:
    titles = {"handout": content.topic.title, "patient": f"{content.topic.title}: information for patients and families"}
    for name, title in titles.items():
        meta = pdf_inspect.reader(editions[name]).metadata
        assert meta.title == title
        assert meta.author and meta.subject
        root = pdf_inspect.reader(editions[name]).trailer["/Root"]
        assert root["/Lang"] == content.topic.language
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_reproducible(content: Content, editions) -> None:
    paper = editions["paper"]
    assert patient_pdf.render(content, Options(EPOCH, paper)) == editions["patient"]
