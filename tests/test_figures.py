"""Figures: every kind loads and is drawn in every output (the handout on its captioned page, the deck as
media that the real Anki imports with none missing or unused, the web page inline with its alt text, the
patient sheet where it is marked), the same content gives the same bytes, and every bad figure is a
positioned error before anything is written."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection

from generator.outputs import Options
from generator.outputs import anki as anki_deck
from generator.outputs import handout as handout_pdf
from generator.outputs import html as html_edition
from generator.outputs import patient as patient_pdf
from generator.source.load import load
from generator.source.model import Content
from tests import pdf_inspect
from tests.anki_import import import_package
from tests.conftest import DATA, EPOCH, KETAMINE

FIXTURE = DATA / "valid" / "figures"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the figures fixture (content file and image), so builds never touch the repository."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="module")
def figures() -> Content:
    return load(FIXTURE / "figures.yaml")


def test_every_kind_of_figure_loads_numbered_in_reading_order(figures: Content) -> None:
    section = figures.sections[0]
    kinds = [next(k for k in ("image", "timeline", "chart", "structure") if getattr(f, k)) for f in section.figures]
    assert kinds == ["image", "image", "timeline", "chart", "structure"]
    assert figures.figure_numbers == {"diagram": 1, "sketch": 2, "dates": 3, "onset-chart": 4, "molecule": 5}
    image, sketch = section.figures[0].image, section.figures[1].image
    assert image.kind == "png" and image.data == (FIXTURE / "diagram.png").read_bytes()
    assert sketch.kind == "svg" and sketch.data == (FIXTURE / "sketch.svg").read_bytes()
    assert [f.id for f in figures.figures_of_fact["approved-use"]] == ["diagram", "onset-chart"]


def _page_of(pages: list[str], text: str) -> int:
    """The last page that prints `text`: a caption is listed in the contents too, before its figure."""
    return max(i for i, page in enumerate(pages) if text in page)


def test_the_handout_draws_each_figure_on_its_captioned_page(figures: Content) -> None:
    data = handout_pdf.render(figures, Options(EPOCH))
    reader = pdf_inspect.reader(data)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    image_page = reader.pages[_page_of(pages, "Figure 1. A square beside a circle")]
    assert any(obj.get_object()["/Subtype"] == "/Image" for obj in image_page["/Resources"]["/XObject"].values())
    drawn = reader.pages[_page_of(pages, "Figure 5. Examplamine's structure")].get_contents().get_data()
    assert len(re.findall(rb"\bl\b", drawn)) > 20  # the bonds are vector lines, not a picture
    for words in ("2019 Label", "Intramuscular 240 s", "NH O Cl Examplamine", "A B Figure 2. A square and a triangle"):
        assert words in " ".join(pages)  # the SVG is drawn as vectors too: its letters are text
    assert "(see Figure 1 and Figure 4)" in pages[0] and "Data: Table 2." in " ".join(pages)
    assert {name.split("+")[-1] for name, _ in pdf_inspect.fonts(data)} <= {
        "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"}  # the SVG's Helvetica too


def test_the_deck_ships_the_figures_of_its_cards_and_anki_finds_none_missing_or_unused(
        figures: Content, tmp_path: Path) -> None:
    data = anki_deck.render(figures, Options(EPOCH))
    with zipfile.ZipFile(io.BytesIO(data)) as apkg:
        media = __import__("json").loads(apkg.read("media"))
        files = {re.sub(r"-[0-9a-f]{12}\.", ".", name): apkg.read(number) for number, name in media.items()}
    # the timeline belongs to no fact, so no card shows it and the deck does not carry it
    assert sorted(files) == ["demo-topic-diagram.png", "demo-topic-molecule.svg", "demo-topic-onset-chart.svg",
                             "demo-topic-sketch.svg"]
    assert files["demo-topic-sketch.svg"] == (FIXTURE / "sketch.svg").read_bytes()
    assert files["demo-topic-diagram.png"] == (FIXTURE / "diagram.png").read_bytes()
    assert files["demo-topic-molecule.svg"].startswith(b"<svg") and b"<title" in files["demo-topic-molecule.svg"]
    path = tmp_path / "deck.apkg"
    path.write_bytes(data)
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(collection, path)
        check = collection.media.check()
        assert list(check.missing) == [] and list(check.unused) == []
        backs = [note["Fact"] for note in (collection.get_note(i) for i in collection.find_notes(""))]
        assert any('alt="A black square outline' in back and "Figure 1. A square beside a circle" in back
                   for back in backs)
    finally:
        collection.close()


def test_the_web_page_holds_each_figure_with_its_alt_text(figures: Content) -> None:
    page = html_edition.render(figures, Options(EPOCH)).decode("utf-8")
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="A black square outline', page)
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="A blue square outline', page)
    for figure in figures.sections[0].figures[2:]:
        assert f'<title id="figure-{figure.id}_title">{figure.alt}</title>' in page
    assert page.count("<figure ") == 6 and "Figure 5. Examplamine&#39;s structure" in page


def test_a_figure_marked_for_a_patient_sheet_is_printed_there(figures: Content) -> None:
    text = pdf_inspect.text(patient_pdf.render(figures, Options(EPOCH, sheet="surgery")))
    assert "A square beside a circle Image: The factpack tests; CC0 1.0." in text and "Onset by route" not in text
    page = html_edition.render(figures, Options(EPOCH)).decode("utf-8")
    assert page.count('alt="A black square outline') == 2  # in the handout part and on the sheet it is marked for


def test_the_same_content_gives_the_same_bytes_media_included(run_cli, folder: Path, tmp_path: Path,
                                                                monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    for out in ("a", "b"):
        shutil.copy(FIXTURE / "figures.yaml", folder / "figures.yaml")  # the first build wrote a lock beside it
        (folder / "figures.lock.json").unlink(missing_ok=True)
        assert run_cli("build", folder / "figures.yaml", "--out", tmp_path / out).code == 0
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_a_changed_image_makes_its_outputs_again(run_cli, folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    out = tmp_path / "out"
    assert run_cli("build", folder / "figures.yaml", "--out", out, "--only", "handout").code == 0
    from PIL import Image

    Image.new("RGB", (60, 30), "red").save(folder / "diagram.png")
    again = run_cli("build", folder / "figures.yaml", "--out", out, "--only", "handout")
    assert again.out.startswith("wrote ")


def _variant(folder: Path, old: str, new: str) -> Path:
    path = folder / "figures.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


BAD_FIGURES = [
    ("file: diagram.png", "file: missing.png", "image.file: cannot read 'missing.png'"),
    ("file: diagram.png", "file: ../../secret.png", "image.file: '../../secret.png' is outside the content file's folder"),
    ("file: diagram.png", "file: /etc/secret.png", "image.file: '/etc/secret.png' is outside the content file's folder"),
    ("file: diagram.png", "file: my diagram.png", "image.file: 'my diagram.png' is not a file name of letters, digits"),
    ("file: diagram.png", "file: notes.png", "image.file: 'notes.png' is not a PNG, JPEG or SVG image that can be read"),
    ("file: sketch.svg", "file: script.svg", "image.file: 'script.svg' is not a PNG, JPEG or SVG image"),
    ("file: sketch.svg", "file: entity.svg", "image.file: 'entity.svg' is not a PNG, JPEG or SVG image"),
    ("file: sketch.svg", "file: remote.svg", "image.file: 'remote.svg' is not a PNG, JPEG or SVG image"),
    ("file: sketch.svg", "file: broken.svg", "image.file: 'broken.svg' is not a PNG, JPEG or SVG image"),
    ("file: sketch.svg", "file: plain.svg", "image.file: 'plain.svg' is not a PNG, JPEG or SVG image"),
    ("file: sketch.svg", "file: glyphs.svg", "image.file: the font cannot print '漢' (U+6F22), '字' (U+5B57) in the "
                                           "picture's text"),
    ("file: diagram.png", "file: big.png", "image.file: 'big.png' is 2,097,153 bytes; an image may be at most 2,097,152"),
    ("smiles: CNC1(CCCCC1=O)C1=CC=CC=C1Cl", "smiles: C1CC(", "smiles: 'C1CC(' is not a SMILES string RDKit can read"),
    ("smiles: CNC1(CCCCC1=O)C1=CC=CC=C1Cl", "smiles: '[CH4]'", "smiles: '[CH4]' has no bond between heavy atoms"),
    ("cells: {route: Intravenous, seconds: \"30\"}", "cells: {route: Intravenous injection into a peripheral vein, "
     "seconds: \"30\"}", "chart.label: row 'iv' names its bar with 44 characters; a chart's bar names fit in 32"),
    ("value: seconds", "value: route", "chart.value: column 'route' of table 'onsets' must hold a number in every row; "
                                     "row 'iv' has 'Intravenous'"),
    ("value: seconds", "value: minutes", "chart.value: table 'onsets' has no column 'minutes'"),
    ("chart: {table: onsets,", "chart: {table: onset,", "chart.table: unknown table 'onset' (did you mean 'onsets'?)"),
    ("        alt: A timeline with two marks, 2019 for the label and 2024 for the trial.\n", "",
     "missing required field 'alt'"),
    ("{year: 2019, label: Label, fact: approved-use}", "{year: 2029, label: Label, fact: approved-use}",
     "timeline.events: events must be in date order, earliest first"),
    ("{year: 2019, label: Label, fact: approved-use}", "{year: 2019, label: Label, fact: approved}",
     "timeline.events[0].fact: unknown fact 'approved'"),
    ("        facts: [off-label-use]\n", "        facts: [off-label]\n", "facts[0]: unknown fact 'off-label'"),
    ("patient_sheets: [surgery]", "patient_sheets: [surgery-day]", "patient_sheets[0]: unknown patient sheet 'surgery-day'"),
    ("        chart: {table: onsets, label: route, value: seconds, unit: s}\n",
     "        chart: {table: onsets, label: route, value: seconds, unit: s}\n        timeline: {events: [{year: 1, "
     "label: x}, {year: 2, label: y}]}\n", "a figure has exactly one of 'image', 'timeline', 'chart' or 'structure'"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_FIGURES)
def test_a_bad_figure_is_a_positioned_error_and_nothing_is_written(run_cli, folder: Path, tmp_path: Path, old: str,
                                                                   new: str, expected: str) -> None:
    (folder / "notes.png").write_text("not an image", encoding="utf-8")
    svg = (FIXTURE / "sketch.svg").read_text(encoding="utf-8")
    (folder / "script.svg").write_text(svg.replace("</svg>", "<script>alert(1)</script></svg>"), encoding="utf-8")
    (folder / "entity.svg").write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>' + svg, encoding="utf-8")
    (folder / "remote.svg").write_text(svg.replace("</svg>", '<image href="https://example.org/x.png"/></svg>'),
                                       encoding="utf-8")
    (folder / "broken.svg").write_text(svg[:120], encoding="utf-8")
    (folder / "plain.svg").write_text(svg.replace(' xmlns="http://www.w3.org/2000/svg"', ""), encoding="utf-8")
    (folder / "glyphs.svg").write_text(svg.replace(">A<", ">漢字<"), encoding="utf-8")
    (folder / "big.png").write_bytes(b"\x89PNG" + b"\0" * (2 * 1024 * 1024 - 3))
    path = _variant(folder, old, new)
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.code == 1
    line = next((line for line in result.err.splitlines() if expected in line), None)
    assert line is not None, result.err
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: sections\[0\]\.figures\[\d\]", line), line
    assert not (tmp_path / "out").exists()


def test_the_shipped_content_has_at_least_four_sourced_figures_on_cards_and_pages() -> None:
    content = load(KETAMINE)
    shown = [figure for section in content.sections for figure in section.figures]
    assert len(shown) >= 4 and all(figure.sources and figure.alt for figure in shown)
    kinds = {next(k for k in ("image", "timeline", "chart", "structure") if getattr(f, k)) for f in shown}
    assert {"timeline", "chart", "structure"} <= kinds
    assert all(figure.facts for figure in shown)  # every figure is on the back of some cards


def test_a_changed_picture_reaches_learners_who_imported_the_old_one(folder: Path, tmp_path: Path) -> None:
    """Anki keeps a media file it already has and skips a note whose fields did not change: a changed
    picture gets a new name, so its notes change and the new picture is imported."""
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        first, options = tmp_path / "first.apkg", Options(EPOCH, now=EPOCH)
        first.write_bytes(anki_deck.render(load(folder / "figures.yaml"), options))
        import_package(collection, first)
        shipped = anki_deck.updated_history(load(folder / "figures.yaml"), options)  # what the lock would hold
        svg = (folder / "sketch.svg").read_text(encoding="utf-8")
        (folder / "sketch.svg").write_text(svg.replace(">A<", ">CHANGED<"), encoding="utf-8")
        second = tmp_path / "second.apkg"
        second.write_bytes(anki_deck.render(load(folder / "figures.yaml"),
                                            Options(EPOCH, history=shipped, now=EPOCH + 60)))
        log = import_package(collection, second)
        assert log.updated == 1  # the one card of the fact the sketch belongs to
        media = Path(collection.media.dir())
        assert any(b"CHANGED" in path.read_bytes() for path in media.glob("demo-topic-sketch-*.svg"))
    finally:
        collection.close()


def test_a_range_that_ends_below_its_start_is_refused(run_cli, folder: Path) -> None:
    path = folder / "figures.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (("{id: seconds, title: Seconds}", "{id: seconds, title: Seconds}\n          - {id: upto, title: Up to}"),
                     ('seconds: "30"}', 'seconds: "30", upto: "20"}'), ('seconds: "240"}', 'seconds: "240", upto: "300"}'),
                     ("value: seconds, unit: s}", "value: seconds, high: upto, unit: s}")):
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", path)
    assert result.code == 1 and "chart.high: row 'iv' ends its range (20) below its start (30)" in result.err


def test_chart_numbers_print_as_written() -> None:
    from generator.outputs.figures import chart
    from generator.source.model import Chart, Column, Row, Table

    table = Table("t", "T", (Column("name", "Name"), Column("n", "N")),
                  (Row("a", ("Big", "1234567"), ("r",)), Row("b", ("Small", "0.5"), ("r",))))
    labels = [shape.text for shape in chart.scene(Chart("t", "name", "n", "mg"), table, 480).shapes
              if hasattr(shape, "text")]
    assert "1234567 mg" in labels and "0.5 mg" in labels and not any("e+" in label for label in labels)
