"""Both PDF editions of the shipped content: print-safe, right size, right type size, all fonts embedded."""

from __future__ import annotations

import re
import statistics

import pytest
from reportlab.lib.units import mm

from generator.outputs import handout as handout_pdf, patient as patient_pdf
from generator.outputs import Options
from generator.source import inline
from generator.source.load import load
from generator.source.model import Content
from tests import pdf_inspect
from tests.conftest import EPOCH, KETAMINE

PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
FOOTER_TOP = 13 * mm  # the running footer sits below the body frame (15 mm up on a patient sheet)
HEAD_ROOM = 20 * mm  # and the running head above it


@pytest.fixture(scope="module")
def content() -> Content:
    return load(KETAMINE)


@pytest.fixture(scope="module", params=sorted(PAPERS))
def editions(request, content: Content) -> dict[str, bytes]:
    paper = request.param
    sheets = {f"patient-{sheet.id}": patient_pdf.render(content, Options(EPOCH, paper, sheet=sheet.id))
              for sheet in content.patient_sheets}
    return {"paper": paper, "handout": handout_pdf.render(content, Options(EPOCH, paper)), **sheets}


def _pdfs(editions) -> list[str]:
    return [name for name in editions if name != "paper"]


def _sheets(editions) -> list[str]:
    return [name for name in editions if name.startswith("patient-")]


def test_every_patient_sheet_is_an_edition(editions, content: Content) -> None:
    assert _sheets(editions) == ["patient-anesthesia", "patient-esketamine"]
    assert len(set(editions[name] for name in _sheets(editions))) == 2


def test_page_size_matches_paper(editions) -> None:
    for name in _pdfs(editions):
        assert pdf_inspect.page_sizes(editions[name]) == {PAPERS[editions["paper"]]}


def test_patient_editions_fit_one_sheet(editions) -> None:
    for name in _sheets(editions):
        assert len(pdf_inspect.reader(editions[name]).pages) <= 2


def test_fonts_are_embedded_truetype_only(editions) -> None:
    for name in _pdfs(editions):
        fonts = pdf_inspect.fonts(editions[name])
        assert fonts and all(embedded for _, embedded in fonts)
        assert not {n.split("+")[-1] for n, _ in fonts} & pdf_inspect.STANDARD_14


def test_no_text_within_9_mm_of_any_edge(editions) -> None:
    width, height = PAPERS[editions["paper"]]
    edge = 9 * mm
    for name in _pdfs(editions):
        for page, text, size, x, y, run_width in pdf_inspect.text_runs(editions[name]):
            assert edge <= x and x + run_width <= width - edge, (name, page, text)
            assert edge <= y <= height - edge, (name, page, text)


def test_body_type_sizes(editions, content: Content) -> None:
    """Handout text at 10 pt or more, but a table with many columns may be set down to 8.5 pt rather than
    break its words; patient sheets at 12 pt or more."""
    minimum = {"handout": 10} | {name: 12 for name in _sheets(editions)}
    tables = " ".join(pdf_inspect.fold(" ".join([*(c.title for c in table.columns), "Sources",
                                                 *(cell for row in table.rows for cell in row.cells)]))
                      for section in content.sections for table in section.tables)
    for name, smallest in minimum.items():
        head_bottom = PAPERS[editions["paper"]][1] - HEAD_ROOM
        body = [(t, s) for _, t, s, _, y, _ in pdf_inspect.text_runs(editions[name]) if FOOTER_TOP < y < head_bottom]
        assert body
        for text, size in body:
            table_text = (name == "handout" and round(size, 2) in handout_pdf.CELL_SIZES  # a table's sizes only
                          and (pdf_inspect.fold(text) in tables or re.fullmatch(r"[\d\[\], –—]+", text)))  # numbers, dashes
            assert size >= (handout_pdf.CELL_SIZES[-1] if table_text else smallest) - 0.01, (name, text, size)


def test_headings_are_never_stranded_at_the_bottom_of_a_page(editions) -> None:
    """The last line of every page's body is never a heading (headings keep with what follows)."""
    heading_sizes = {15.75, 12.075, 18.0}  # h1 and h2 of the handout (10.5 pt base), h1 of the patient sheet
    for name in _pdfs(editions):
        by_page: dict[int, list] = {}
        for page, text, size, x, y, width, font in pdf_inspect.text_runs_with_fonts(editions[name]):
            if y > FOOTER_TOP:
                by_page.setdefault(page, []).append((y, size, font, text))
        for page, runs in by_page.items():
            if page == max(by_page):
                continue
            y, size, font, text = min(runs)
            assert not (font.endswith("Bold") and round(size, 3) in heading_sizes), (name, page, text)


def test_each_patient_section_and_box_is_read_on_one_side(editions, content: Content) -> None:
    """A section's heading and all its bullets, the help box and the closing box each sit on one page."""
    for sheet in content.patient_sheets:
        pages = [pdf_inspect.fold(page.extract_text() or "") for page in pdf_inspect.reader(editions[f"patient-{sheet.id}"]).pages]
        wholes = [[part.title, *(content.fact_by_id[f].plain for f in part.facts)] for part in sheet.sections]
        wholes.append(["Questions you may want to ask", *sheet.questions])
        wholes += [["How to get help.", "Emergency number:", "Your care team:"],
                   ["Last checked", content.topic.patient_disclaimer]]
        for whole in wholes:
            holding = [number for number, text in enumerate(pages)
                       if all(pdf_inspect.fold(piece) in text for piece in whole)]
            assert holding, (editions["paper"], sheet.id, whole[0])


def test_patient_lines_are_45_to_75_characters(editions) -> None:
    for name in _sheets(editions):
        text = pdf_inspect.reader(editions[name]).pages[0].extract_text()
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
        assert pdf_inspect.fold(inline.plain(fact.text)) in text, fact.id  # as read: the formatting marks are not printed
    for ref in content.references:
        shown = ref.url if ref.url_is_extra else (ref.doi or ref.pmid)  # a URL that is the DOI's or PMID's link is not repeated
        assert shown in text.replace(" ", "") or shown in text, ref.id


def test_patient_edition_headings_and_texts(editions, content: Content) -> None:
    for sheet in content.patient_sheets:
        text = pdf_inspect.text(editions[f"patient-{sheet.id}"])
        headings = ["The main message:", *(p.title for p in sheet.sections), "How to get help.", "Emergency number:",
                    "Your care team:", "Last checked"]
        for heading in headings + (["Questions you may want to ask"] if sheet.questions else []):
            assert heading in text, (sheet.id, heading)
        assert ("Key points" in text) == bool(sheet.key_points)
        for fact_id in sheet.fact_ids():
            assert pdf_inspect.fold(inline.plain(content.fact_by_id[fact_id].plain)) in text, fact_id
        for question in sheet.questions:
            assert pdf_inspect.fold(question) in text
        assert pdf_inspect.fold(content.topic.patient_disclaimer) in text
        assert pdf_inspect.fold(content.topic.disclaimer) not in text  # that one speaks to clinicians


def test_patient_editions_say_what_it_is_for_each_audience(editions) -> None:
    anesthesia, esketamine = (pdf_inspect.text(editions[f"patient-{name}"]) for name in ("anesthesia", "esketamine"))
    assert anesthesia.startswith("Ketamine for anesthesia or sedation")
    assert esketamine.startswith("Starting esketamine (Spravato) for depression")
    assert "esketamine" in esketamine.split("What it is")[0]  # Spravato is named as esketamine before anything else


def test_status_labels_are_words_on_patient_sheets_and_tags_in_the_handout(editions) -> None:
    for name in _sheets(editions):
        text = pdf_inspect.text(editions[name])
        assert "✓ Approved for this use:" in text and "[" not in text
    assert "Labels: [✓ Approved]" in pdf_inspect.text(editions["handout"])
    assert "[◆ Off-label]" in pdf_inspect.text(editions["handout"])
    assert "[▲ Investigational]" in pdf_inspect.text(editions["handout"])


def test_bookmarks_follow_headings(editions, content: Content) -> None:
    outline = pdf_inspect.outline_titles(editions["handout"])
    top = [title for depth, title in outline if depth == 0]
    assert top == [s.title for s in content.sections if s.id != content.key_points] + ["References"]
    assert (1, "Ketamine and esketamine by route of administration") in outline


def test_metadata(editions, content: Content) -> None:
    titles = {"handout": content.topic.title} | {f"patient-{sheet.id}": f"{sheet.title}: information for patients and "
                                                                           f"families" for sheet in content.patient_sheets}
    for name, title in titles.items():
        meta = pdf_inspect.reader(editions[name]).metadata
        assert meta.title == title
        assert meta.author and meta.subject
        root = pdf_inspect.reader(editions[name]).trailer["/Root"]
        assert root["/Lang"] == content.topic.language
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_reproducible(content: Content, editions) -> None:
    paper = editions["paper"]
    for sheet in content.patient_sheets:
        assert patient_pdf.render(content, Options(EPOCH, paper, sheet=sheet.id)) == editions[f"patient-{sheet.id}"]


def test_each_font_subset_has_its_own_tag(editions) -> None:
    """PDF 32000 9.6.4: different subsets in one file have different six-letter tags."""
    for name in _pdfs(editions):
        fonts = [font for font, _ in pdf_inspect.fonts(editions[name])]
        tags = [font.split("+")[0] for font in fonts]
        assert len(set(tags)) == len(tags) and all(re.fullmatch(r"[A-Z]{6}", tag) for tag in tags), fonts
