"""The study handout: every fact printed, fonts embedded, reproducible, the paper asked for."""

from __future__ import annotations

import re

import pytest

from generator.outputs import handout as handout_pdf
from generator.outputs import Options
from generator.source import inline
from generator.source.model import Content
from tests import pdf_inspect
from tests.conftest import EPOCH


@pytest.fixture(scope="module")
def handout(request) -> bytes:
    from generator.source.load import load
    from tests.conftest import MINIMAL
    return handout_pdf.render(load(MINIMAL), Options(EPOCH))


def test_every_fact_and_section_appears(handout: bytes, minimal: Content) -> None:
    text = pdf_inspect.text(handout)
    assert minimal.topic.title in text
    for section, fact in minimal.facts():
        assert section.title in text
        assert pdf_inspect.fold(inline.plain(fact.text)) in text


def test_markup_characters_print_as_written(handout: bytes) -> None:
    assert "IV & ≥ 1 µg." in pdf_inspect.text(handout)


def test_references_are_numbered_with_full_urls(handout: bytes) -> None:
    text = pdf_inspect.text(handout)
    assert "1. Example Pharma. EXAMPLE (examplamine) injection. Prescribing information. Drugs@FDA. 2024." in text
    assert "https://example.org/label-a" in text
    assert "Smith AB, Jones CD, Brown EF, et al." in text
    assert "PMID: 12345678. doi: 10.1000/xyz123." in text


def test_status_labels_and_legend(handout: bytes) -> None:
    text = pdf_inspect.text(handout)
    assert "[✓ Approved] Examplamine is approved" in text
    assert "[◆ Off-label] Off-label use for pain" in text
    assert "Labels:" in text


def test_only_embedded_truetype_fonts(handout: bytes) -> None:
    used = pdf_inspect.fonts(handout)
    assert used, "no fonts found"
    for name, embedded in used:
        assert embedded, name
        assert name.split("+")[-1] not in pdf_inspect.STANDARD_14


def test_same_content_and_timestamp_give_identical_bytes(minimal: Content, handout: bytes) -> None:
    assert handout_pdf.render(minimal, Options(EPOCH)) == handout
    assert handout_pdf.render(minimal, Options(EPOCH + 1)) != handout


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612.0, 792.0))])
def test_page_size_follows_paper(minimal: Content, paper: str, size: tuple[float, float]) -> None:
    assert pdf_inspect.page_sizes(handout_pdf.render(minimal, Options(EPOCH, paper))) == {size}


def test_metadata_and_bookmarks(handout: bytes) -> None:
    reader = pdf_inspect.reader(handout)
    assert reader.metadata.title == "Demo topic"
    assert reader.metadata.author == "A. Author"
    assert pdf_inspect.outline_titles(handout) == [(0, "Uses"), (1, "Routes"), (0, "References")]


def test_key_points_section_becomes_the_box(minimal: Content) -> None:
    import dataclasses
    text = pdf_inspect.text(handout_pdf.render(dataclasses.replace(minimal, key_points="uses"), Options(EPOCH)))
    assert "Key points What examplamine is used for, and on what evidence. • [✓ Approved] Examplamine" in text
    assert text.count("What examplamine is used for") == 1  # the section is not printed twice


def test_footer_counts_pages(handout: bytes) -> None:
    assert "page 1 of 1" in pdf_inspect.text(handout, footers=True)


def test_every_citation_number_and_contents_line_is_a_link(handout: bytes, minimal: Content) -> None:
    cited = sum(len(fact.sources) for _, fact in minimal.facts())
    in_tables = sum(len(row.sources) for s in minimal.sections for table in s.tables for row in table.rows)
    sections = [s for s in minimal.sections if s.id != minimal.key_points]  # key points print as a box
    headings = len(sections) + sum(len(s.tables) for s in sections) + 1  # and References
    annotations = [a.get_object() for page in pdf_inspect.reader(handout).pages for a in page.get("/Annots", [])]
    internal = [a for a in annotations if a["/Subtype"] == "/Link" and "/Dest" in a]
    assert len(internal) == cited + in_tables + headings


def test_a_url_that_is_the_dois_or_pmids_link_is_printed_once() -> None:
    from generator.source.model import Reference

    base = dict(id="r", title="T", published_in="J", year=2020, authors=("A B",), pmid="123", doi="10.1/x")
    assert not Reference(url="https://doi.org/10.1/x", **base).url_is_extra
    assert not Reference(url="http://pubmed.ncbi.nlm.nih.gov/123", **base).url_is_extra
    assert Reference(url="https://pmc.ncbi.nlm.nih.gov/articles/PMC1", **base).url_is_extra
    assert Reference(url="https://doi.org/10.1/x", id="r", title="T", published_in="J", year=2020,
                     authors=("A B",)).url_is_extra  # with no DOI printed, the URL is the only link


def test_a_url_longer_than_a_line_breaks_only_after_a_slash() -> None:
    """Its lines end at '/' or, inside a name too long for a line, start at '-': never inside a word, and
    never a line ending in a hyphen."""
    from generator.outputs.handout import _styles, _url

    url = ("https://www.fda.gov/news-events/press-announcements/"
           "fda-approves-new-nasal-spray-medication-treatment-resistant-depression-available-only-certified")
    pieces = re.findall(r">([^<]+)</a>", _url(url, _styles()["reference"]))
    assert "".join(pieces) == url and len(pieces) > 1
    assert all(piece.endswith("/") or after.startswith("-") for piece, after in zip(pieces, pieces[1:]))
    assert not any(piece.endswith("-") for piece in pieces)
    doubled = "https://example.org/" + "a" * 20 + "--" + "b" * 150 + "-c"
    pieces = re.findall(r">([^<]+)</a>", _url(doubled, _styles()["reference"]))
    assert "".join(pieces) == doubled and not any(piece.endswith("-") for piece in pieces)
    short = "https://example.org/a"
    assert _url(short, _styles()["reference"]).count("<a ") == 1 and "<br/>" not in _url(short, _styles()["reference"])


def test_a_journal_reference_prints_its_volume_issue_and_pages_in_ama_style(tmp_path) -> None:
    from generator.source.load import load
    from tests.conftest import MINIMAL

    path = tmp_path / "located.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8").replace(
        "    year: 2020\n", "    year: 2020\n    volume: '12'\n    issue: '3'\n    pages: 45-67\n", 1), encoding="utf-8")
    text = pdf_inspect.text(handout_pdf.render(load(path), Options(EPOCH)))
    assert "Journal of Examples. 2020;12(3):45–67." in text


def test_a_table_row_citing_many_scattered_references_breaks_its_group_instead_of_the_build(tmp_path) -> None:
    """The sources column is as wide as its longest group up to a quarter of the text: a wider group
    breaks after a comma (the table still fits), and the other rows' groups stay whole."""
    import yaml

    from generator.source.load import load
    from tests.conftest import MINIMAL

    doc = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    for i in range(28):
        doc["references"] += [{"id": f"r{k}{i}", "publisher": "Pub", "title": f"T {k}{i}", "published_in": "J",
                               "year": 2020, "url": f"https://example.org/{k}{i}"} for k in "xy"]
        doc["sections"][0]["facts"].append({"id": f"f{i}", "text": f"Fact {i}.", "status": "approved",
                                            "sources": [f"rx{i}", f"ry{i}"]})
    doc["sections"][0]["tables"][0]["rows"][0]["sources"] = [f"rx{i}" for i in range(28)]
    path = tmp_path / "many.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    content = load(path)
    text = pdf_inspect.text(handout_pdf.render(content, Options(EPOCH)))
    assert "Intravenous 30 seconds [3, 5, 7, 9" in text and "55, 57] Intramuscular" in text
