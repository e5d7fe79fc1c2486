"""The web edition, read as a screen reader and a browser would: one page that holds the whole handout
and the patient sheets, with landmarks and headings in order, table headers that say what they head,
citations that link to their reference and back, nothing loaded from the network, and content text
that can never become markup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markupsafe
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.outputs import Options
from generator.outputs import html as html_edition
from generator.source import inline
from generator.source.errors import ContentError
from generator.source.load import load, load_text
from generator.source.model import Content
from tests.conftest import EPOCH, KETAMINE, MINIMAL


@dataclass
class Page:
    """What a browser would see of the page: elements by tag, ids, links, headings and visible text."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.tags if "id" in attrs]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.heading: tuple[int, list[str]] | None = None
        self.skip = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, {name: value or "" for name, value in attrs}))
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = (int(tag[1]), [])
        if tag in ("style", "script"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self.heading:
            self.page.headings.append((self.heading[0], " ".join("".join(self.heading[1]).split())))
            self.heading = None
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.words.append(data)
        if self.heading:
            self.heading[1].append(data)


def read(data: bytes) -> Page:
    reader = _Reader()
    reader.feed(data.decode("utf-8"))
    reader.page.text = " ".join("".join(reader.words).split())
    return reader.page


@pytest.fixture(scope="module")
def ketamine() -> Content:
    return load(KETAMINE)


@pytest.fixture(scope="module")
def page_bytes(ketamine: Content) -> bytes:
    return html_edition.render(ketamine, Options(EPOCH))


@pytest.fixture(scope="module")
def page(page_bytes: bytes) -> Page:
    return read(page_bytes)


def test_one_h1_and_heading_levels_never_skip(page: Page) -> None:
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), page.headings


def test_landmarks_language_and_title(page: Page, ketamine: Content) -> None:
    assert page.all("html")[0]["lang"] == ketamine.topic.language
    assert len(page.all("main")) == len(page.all("header")) == len(page.all("footer")) == 1
    assert page.all("nav")[0]["aria-labelledby"] == "contents_heading"
    assert page.all("meta")[1] == {"name": "viewport", "content": "width=device-width, initial-scale=1"}


def test_ids_are_unique_and_every_internal_link_lands(page: Page) -> None:
    ids = page.ids
    assert len(ids) == len(set(ids))
    internal = [attrs["href"][1:] for attrs in page.all("a") if attrs.get("href", "").startswith("#")]
    assert internal and not set(internal) - set(ids)


def test_nothing_is_loaded_from_anywhere(page: Page, page_bytes: bytes) -> None:
    """Self-contained: no script, no stylesheet link, no image or frame source, no CSS import or url()."""
    assert not page.all("script") and not page.all("link") and not page.all("img") and not page.all("iframe")
    assert not any("src" in attrs for _, attrs in page.tags)
    style = page_bytes.decode("utf-8").split("<style>")[1].split("</style>")[0]
    assert "url(" not in style and "@import" not in style


def test_every_fact_table_row_and_reference_is_on_the_page(page: Page, ketamine: Content) -> None:
    for _, fact in ketamine.facts():
        assert " ".join(inline.plain(fact.text).split()) in page.text, fact.id
    for section in ketamine.sections:
        for table in section.tables:
            for row in table.rows:
                assert all(" ".join(cell.split()) in page.text for cell in row.cells if cell), row.id
    for number, ref in ketamine.numbered_references():
        item = next(attrs for attrs in page.all("li") if attrs.get("id") == f"ref-{ref.id}")
        assert item["value"] == str(number)


def test_citations_link_to_their_reference_and_back(page: Page, ketamine: Content) -> None:
    links = page.all("a")
    cites = {attrs["id"]: attrs["href"] for attrs in links if attrs.get("id", "").startswith("cite_")}
    for _, fact in ketamine.facts():
        targets = {href for key, href in cites.items() if key.startswith(f"cite_{fact.id}_")}
        first_of_each_run = {f"#ref-{source}" for source in fact.sources}
        assert targets and targets <= first_of_each_run, fact.id  # each number or range opens a cited reference
    back_targets = {attrs["href"][1:] for attrs in links if attrs.get("href", "").startswith("#cite_")}
    assert back_targets == set(cites)  # every citation is linked back to from its reference


def test_tables_have_captions_and_scoped_headers(page: Page, ketamine: Content) -> None:
    tables = [t for s in ketamine.sections for t in s.tables]
    captions = {attrs["id"] for attrs in page.all("p") if attrs.get("class") == "caption"}
    assert len(page.all("table")) == len(captions) == len(tables)
    assert {attrs["aria-labelledby"] for attrs in page.all("table")} == captions  # the caption names the table
    headers = page.all("th")
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    regions = [attrs for attrs in page.all("div") if attrs.get("class") == "table-wrap"]
    assert all(attrs["tabindex"] == "0" and attrs["role"] == "region" for attrs in regions)  # scrollable on a phone
    assert "Table 1. " in page.text


def test_status_labels_carry_a_word_and_a_shape(page: Page) -> None:
    for label in ("✓ Approved", "◆ Off-label", "▲ Investigational"):
        assert label in page.text


def test_patient_sheets_are_parts_of_the_page(page: Page, ketamine: Content) -> None:
    for sheet in ketamine.patient_sheets:
        assert (2, f"For patients: {sheet.title}") in page.headings
        for fact_id in sheet.fact_ids():
            assert " ".join((ketamine.fact_by_id[fact_id].plain or "").split()) in page.text
        for question in sheet.questions:
            assert question in page.text
    assert page.text.count("In an emergency, call your local emergency number") == len(ketamine.patient_sheets)


def test_review_dates_and_disclaimers(page: Page, ketamine: Content) -> None:
    topic = ketamine.topic
    assert f"Last reviewed {topic.last_reviewed.isoformat()}" in page.text
    assert f"Review due {topic.review_due.isoformat()}" in page.text
    assert " ".join(topic.disclaimer.split()) in page.text
    assert " ".join(topic.patient_disclaimer.split()) in page.text


def test_the_same_content_gives_the_same_bytes(ketamine: Content, page_bytes: bytes) -> None:
    assert html_edition.render(ketamine, Options(EPOCH + 86_400, paper="letter")) == page_bytes


def test_the_minimal_content_renders_a_complete_page(minimal: Content) -> None:
    page = read(html_edition.render(minimal, Options(EPOCH)))
    assert page.headings[0] == (1, "Demo topic")
    assert (2, "For patients: Examplamine for surgery") in page.headings
    assert not set(a["href"][1:] for a in page.all("a") if a.get("href", "").startswith("#")) - set(page.ids)


HOSTILE = ["<script>alert(1)</script>", "</style><b>x</b>", "{{ 7 * 7 }}", "{% raw %}", '" onmouseover="x', "&amp; <",
           "javascript:alert(1)"]


@pytest.mark.parametrize("text", HOSTILE)
def test_content_text_is_printed_as_text_never_as_markup(text: str) -> None:
    source = MINIMAL.read_text(encoding="utf-8").replace(
        "Examplamine is approved", f"Examplamine {text} is approved", 1)
    content = load_text(source, "hostile.yaml")
    page = html_edition.render(content, Options(EPOCH)).decode("utf-8")
    assert str(markupsafe.escape(f"Examplamine {text} is approved")) in page  # & < > " ' all escaped
    assert "<script" not in page and "<b>x</b>" not in page and 'onmouseover="' not in page


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40).filter(
    lambda t: t.strip() == t and t.strip()))
def test_any_printable_text_round_trips_through_the_page(text: str) -> None:
    source = MINIMAL.read_text(encoding="utf-8").replace("title: Demo topic", f"title: {_yaml_quoted(text)}")
    try:
        content = load_text(source, "any.yaml")
    except ContentError:  # titles the format refuses (Anki deck rules, unprintable characters) are not the point here
        return
    page = read(html_edition.render(content, Options(EPOCH)))
    assert page.headings[0] == (1, " ".join(inline.plain(text).split()))  # a title's escapes are resolved


def _yaml_quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
