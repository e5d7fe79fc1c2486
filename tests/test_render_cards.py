"""Flashcard sheets: every card printed; backs land behind fronts in duplex; text stays inside its card."""

from __future__ import annotations

import re

import pytest

from generator.outputs import cards as cards_pdf, handout as handout_pdf
from reportlab.lib.units import mm
from generator.outputs.pdf.card_layout import CARD_PADDING, CARD_SIZES, DUPLEX_MODES, make_grid, mirrored
from generator.source.errors import ContentError
from generator.source.load import load
from generator.source.cloze import blanked as cloze_blanked, filled as cloze_filled
from generator.source.model import BasicCard, Content
from generator.outputs import Options
from generator.outputs.pdf.style import PAPERS
from tests import pdf_inspect
from tests.conftest import EPOCH, KETAMINE, MINIMAL

LABEL = re.compile(r".* · ([a-z0-9][a-z0-9-]*)$")  # 'Section · card-id' on both faces


@pytest.fixture(scope="module")
def ketamine() -> Content:
    return load(KETAMINE)


def _labels(data: bytes) -> dict[tuple[str, int], tuple[float, float]]:
    """(card id, page) -> (x, y) of the card's label run."""
    found = {}
    for page, text, _, x, y, _ in pdf_inspect.text_runs(data):
        match = LABEL.match(text.strip())
        if match:
            found[(match.group(1), page)] = (x, y)
    return found


def test_every_question_and_answer_is_printed(ketamine: Content) -> None:
    text = pdf_inspect.text(cards_pdf.render(ketamine, Options(EPOCH)))
    for _, _, card in ketamine.cards():
        if isinstance(card, BasicCard):
            expected = [card.question, card.answer]
        else:
            expected = [cloze_blanked(card.cloze), cloze_filled(card.cloze)]
        for part in expected:
            assert pdf_inspect.fold(part) in text, card.id


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("card_size", sorted(CARD_SIZES))
@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_backs_land_behind_fronts(minimal: Content, paper: str, card_size: str, duplex: str) -> None:
    options = Options(EPOCH, paper, card_size, duplex)
    data = cards_pdf.render(minimal, options)
    grid = make_grid(PAPERS[paper], card_size, duplex)
    labels = _labels(data)
    assert len(pdf_inspect.reader(data).pages) % 2 == 0
    for index, (_, _, _, card) in enumerate(cards_pdf.print_order(minimal, grid)):
        sheet, slot = divmod(index, grid.per_page)
        row, col = grid.position(slot)
        front, back = labels[(card.id, 2 * sheet)], labels[(card.id, 2 * sheet + 1)]
        front_cell, back_cell = grid.cell(row, col), grid.cell(*mirrored(grid, row, col, duplex))
        assert front == pytest.approx((front_cell.x + CARD_PADDING, front[1]))
        assert back == pytest.approx((back_cell.x + CARD_PADDING, back[1]))
        assert front[1] - front_cell.y == pytest.approx(back[1] - back_cell.y)


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("card_size", sorted(CARD_SIZES))
def test_mirrored_cells_face_each_other_through_the_paper(paper: str, card_size: str) -> None:
    width, height = PAPERS[paper]
    for duplex in ("long-edge", "short-edge"):
        grid = make_grid(PAPERS[paper], card_size, duplex)
        for row in range(grid.rows):
            for col in range(grid.cols):
                front, back = grid.cell(row, col), grid.cell(*mirrored(grid, row, col, duplex))
                if duplex == "long-edge":  # the sheet turns about its vertical axis
                    assert back.x == pytest.approx(width - front.x - front.width) and back.y == pytest.approx(front.y)
                else:  # about its horizontal axis
                    assert back.y == pytest.approx(height - front.y - front.height) and back.x == pytest.approx(front.x)


@pytest.mark.parametrize("duplex", DUPLEX_MODES)
def test_no_text_outside_its_card(ketamine: Content, duplex: str) -> None:
    options = Options(EPOCH, "a4", "a7", duplex)
    data = cards_pdf.render(ketamine, options)
    grid = make_grid(PAPERS["a4"], "a7", duplex)
    faces = []
    for row in range(grid.rows):
        for col in range(grid.cols):
            cell = grid.cell(row, col)
            halves = 2 if duplex == "none" else 1
            for half in range(halves):
                w = cell.width / halves
                faces.append((cell.x + half * w + CARD_PADDING, cell.y + CARD_PADDING,
                               cell.x + (half + 1) * w - CARD_PADDING, cell.y + cell.height - CARD_PADDING))
    for page, text, size, x, y, width in pdf_inspect.text_runs(data):
        if y < grid.bottom:  # the sheet footer
            continue
        assert any(x0 - 0.01 <= x and x + width <= x1 + 0.01 and y0 <= y <= y1 for x0, y0, x1, y1 in faces), text


def test_duplex_setting_is_printed_on_the_sheet(minimal: Content) -> None:
    text = pdf_inspect.text(cards_pdf.render(minimal, Options(EPOCH)), footers=True)
    assert "fronts · print double-sided, flip on long edge" in text
    assert "backs · print double-sided, flip on long edge" in text
    none = pdf_inspect.text(cards_pdf.render(minimal, Options(EPOCH, duplex="none")), footers=True)
    assert "print single-sided; cut, then fold each card on the dashed line" in none


def test_status_and_label_on_both_sides(minimal: Content) -> None:
    pages = [p.extract_text() for p in pdf_inspect.reader(cards_pdf.render(minimal, Options(EPOCH))).pages]
    for page in pages[:2]:
        assert "Uses · approved-use-q" in page and "[✓ Approved]" in page and "[◆ Off-label]" in page


def test_the_back_names_the_card_and_its_first_source(minimal: Content) -> None:
    backs = pdf_inspect.reader(cards_pdf.render(minimal, Options(EPOCH))).pages[1].extract_text()
    assert "Uses · off-label-use-q" in backs
    assert "[1, 2] Example Pharma, 2024 +1" in backs  # label-a is cited first in the handout, so it is [1]


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("card_size", sorted(CARD_SIZES))
@pytest.mark.parametrize("duplex", ["long-edge", "none"])
def test_two_cards_of_one_fact_are_never_printed_beside_or_above_each_other(ketamine: Content, paper: str,
                                                                            card_size: str, duplex: str) -> None:
    grid = make_grid(PAPERS[paper], card_size, duplex)
    order = [fact.id for _, _, fact, _ in cards_pdf.print_order(ketamine, grid)]
    assert sorted(order) == sorted(fact.id for _, fact, _ in ketamine.cards())
    for start in range(0, len(order), grid.per_page):
        sheet = order[start:start + grid.per_page]
        cells = {grid.position(slot): fact_id for slot, fact_id in enumerate(sheet)}
        for (row, col), fact_id in cells.items():
            assert cells.get((row, col + 1)) != fact_id and cells.get((row + 1, col)) != fact_id, (start, row, col)


def test_a_long_publisher_name_is_shortened_on_the_back_and_the_year_kept(ketamine: Content) -> None:
    backs = "\n".join(page.extract_text() for page in pdf_inspect.reader(cards_pdf.render(ketamine, Options(EPOCH))).pages[1::2])
    sources = [line for line in backs.splitlines() if re.match(r"^\[\d", line)]
    assert sources and all(re.search(r", (19|20)\d\d( \+\d+)?$", line) for line in sources), sources[:3]


def test_card_that_cannot_fit_is_a_content_error(tmp_path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("answer: One small trial", "answer: " + "word " * 400)
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        cards_pdf.render(load(path), Options(EPOCH, card_size="a7"))
    message = str(caught.value.problems[0])
    assert message.startswith(f"{path}:54:18: sections[0].facts[1].cards[0]: card 'off-label-use-q': its back does not fit")


def test_reproducible(minimal: Content) -> None:
    assert cards_pdf.render(minimal, Options(EPOCH)) == cards_pdf.render(minimal, Options(EPOCH))


def test_fonts_embedded_only(minimal: Content) -> None:
    fonts = pdf_inspect.fonts(cards_pdf.render(minimal, Options(EPOCH)))
    assert fonts and all(embedded for _, embedded in fonts)
    assert not {n.split("+")[-1] for n, _ in fonts} & pdf_inspect.STANDARD_14


@pytest.mark.parametrize("card_size", sorted(CARD_SIZES))
@pytest.mark.parametrize("duplex", DUPLEX_MODES)
def test_label_and_status_never_overlap(ketamine: Content, card_size: str, duplex: str) -> None:
    data = cards_pdf.render(ketamine, Options(EPOCH, "a4", card_size, duplex))
    runs = pdf_inspect.text_runs(data)
    labels = [(p, x, y, w) for p, t, s, x, y, w in runs if LABEL.match(t.strip())]
    badges = [(p, x, y) for p, t, s, x, y, w in runs if t.strip() in ("[✓ Approved]", "[◆ Off-label]", "[▲ Investigational]")]
    assert labels and badges
    for page, x, y, width in labels:
        for badge_page, badge_x, badge_y in badges:
            if badge_page == page and abs(badge_y - y) < 1 and badge_x > x:
                assert x + width < badge_x, (page, x, badge_x)


def test_a_long_title_stays_inside_the_page(minimal: Content) -> None:
    import dataclasses
    long = dataclasses.replace(minimal, topic=dataclasses.replace(minimal.topic, title="Examplamine " * 16))
    for data in (cards_pdf.render(long, Options(EPOCH)), handout_pdf.render(long, Options(EPOCH))):
        width = pdf_inspect.page_sizes(data).pop()[0]
        for _, text, _, x, _, run_width in pdf_inspect.text_runs(data):
            assert x >= 9 * mm and x + run_width <= width - 9 * mm, text


def test_fold_mode_with_one_card_a_sheet_says_how_many_sheets(run_cli, tmp_path, monkeypatch) -> None:
    """Two folded index cards take 10 in of paper: they fit A4 (two a sheet), not Letter, where the build
    says how many sheets the cards will take."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert make_grid(PAPERS["a4"], "index", "none").per_page == 2
    result = run_cli("build", MINIMAL, "--out", tmp_path, "--only", "cards", "--duplex", "none", "--card-size", "index",
                     "--paper", "letter")
    assert result.code == 0
    assert ("demo-topic-cards.pdf: 3 sheets, one index card a sheet in fold mode on letter; --duplex long-edge or "
            "--card-size a7 prints more a sheet") in result.out.splitlines()


@pytest.mark.parametrize(("duplex", "labels"), [
    ("long-edge", ["sheet 1 fronts", "sheet 1 backs"]),
    ("none", ["sheet 1"]),
])
def test_each_page_is_labelled_with_its_sheet_and_side(minimal: Content, duplex: str, labels: list[str]) -> None:
    """A viewer's page box and a printer dialog show 'sheet 3 backs', so one sheet can be reprinted."""
    reader = pdf_inspect.reader(cards_pdf.render(minimal, Options(EPOCH, duplex=duplex)))
    assert list(reader.page_labels) == labels


def test_a_fact_citing_many_references_keeps_the_year_on_its_source_line(tmp_path) -> None:
    import yaml

    doc = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    doc["references"] += [{"id": f"r{i}", "publisher": "Pub", "title": f"T {i}", "published_in": "J",
                           "year": 2019, "url": f"https://example.org/{i}"} for i in range(32)]
    facts = doc["sections"][0]["facts"]
    facts += [{"id": f"f{i}", "text": f"Fact {i}.", "status": "approved", "sources": [f"r{i}"]} for i in range(32)]
    facts.append({"id": "wide", "text": "Cites many.", "status": "approved",
                  "sources": [f"r{i}" for i in range(0, 32, 2)], "cards": [{"id": "wide-q", "question": "Q?", "answer": "A"}]})
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    backs = "\n".join(page.extract_text() for page in pdf_inspect.reader(cards_pdf.render(load(path), Options(EPOCH))).pages[1::2])
    assert re.search(r"^\[\d+, …\] Pub, 2019 \+15$", backs, re.MULTILINE), backs
