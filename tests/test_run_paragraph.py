"""RunParagraph: our own line breaker and flowable for the facts of the handout.

What it promises:
- no line is wider than the width it was broken for (`first_width` for the first line, `width` after);
- every character that is not breaking white space is kept, in order; a no-break space (U+00A0) is part
  of a word, so it never turns into a line break;
- lines break only at breaking white space, except inside a word that is wider than a whole line, which
  is cut into pieces that each fit (and no other word is ever cut);
- wrap reports the available width and lines x leading; split cuts between lines and never leaves a
  single first line at the bottom of a page;
- drawn, the text reads back in order, each linked run makes one link annotation per line it sits on,
  and only the embedded DejaVu fonts appear in the PDF.
"""

from __future__ import annotations

import io
import itertools
import re

import pytest
from hypothesis import given, settings, strategies as st
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate
from reportlab.platypus.paragraph import _wsc as REPORTLAB_WHITESPACE

from generator import fonts
from generator.pdf_common import styles
from generator.run_paragraph import Run, RunParagraph, break_lines, words
from tests import pdf_inspect

fonts.register()
REGULAR, BOLD = fonts.REGULAR, fonts.BOLD
SIZE = 10.5
NBSP = "\u00a0"
TOLERANCE = 1e-6
# Breaking white space is what ReportLab's Paragraph breaks at; U+00A0 is not among it.
assert NBSP not in REPORTLAB_WHITESPACE
BREAK = re.compile(f"[{re.escape(REPORTLAB_WHITESPACE)}]+")
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + " \n\t" + NBSP + "≥µα–’"


def fact_style():
    return styles(SIZE)["fact"]


def layout(runs, width, first_width=None, size=SIZE):
    runs = tuple(runs)
    return break_lines(words(runs, size), runs, size, width, width if first_width is None else first_width)


def texts(lines) -> list[str]:
    return ["".join(piece.text for piece in line) for line in lines]


def line_width(line) -> float:
    return sum(piece.width for piece in line)


def measured_width(line, runs, size) -> float:
    """The line's width measured afresh: the joined text of each stretch of one run in that run's font."""
    return sum(stringWidth("".join(p.text for p in group), runs[run].font, size)
               for run, group in itertools.groupby(line, key=lambda p: p.run))


def source_words(runs, size) -> list[tuple[str, float]]:
    """The words of the joined run text (split at breaking white space), with their widths."""
    text = "".join(run.text for run in runs)
    font_of = [run.font for run in runs for _ in run.text]
    return [(m.group(), sum(stringWidth(text[i], font_of[i], size) for i in range(m.start(), m.end())))
            for m in re.finditer(f"[^{re.escape(REPORTLAB_WHITESPACE)}]+", text)]


def check_breaks(runs, lines, size, width, first_width):
    """Every line is whole words joined by single spaces, except that a word too wide for a line may be
    cut: a cut word's pieces end and start lines, and nothing (no space) is put between its pieces."""
    found = source_words(runs, size)
    index, offset = 0, 0  # the next word of the source, and how much of it earlier lines took
    for number, text in enumerate(texts(lines)):
        limit = first_width if number == 0 else width
        segments = BREAK.split(text) if text else []
        assert all(segments), f"line {number} {text!r} starts, ends or has a gap with extra white space"
        assert " ".join(segments) == text, f"line {number} {text!r}: words are joined by one plain space"
        for position, segment in enumerate(segments):
            assert index < len(found), f"line {number} has {segment!r} after the last word"
            word, word_width = found[index]
            assert word[offset:offset + len(segment)] == segment, \
                f"line {number}: {segment!r} where the source goes on with {word[offset:]!r}"
            if segment != word:  # part of a word: allowed only for a word wider than a line
                assert word_width > min(width, limit) - TOLERANCE, \
                    f"{word!r} ({word_width:.2f}pt) fits a line of {min(width, limit)}pt but was cut: {segment!r}"
                if offset:
                    assert position == 0, f"the rest of {word!r} does not start line {number}: {text!r}"
                if offset + len(segment) < len(word):
                    assert position == len(segments) - 1, f"the cut in {word!r} does not end line {number}: {text!r}"
            offset += len(segment)
            if offset == len(word):
                index, offset = index + 1, 0
    assert (index, offset) == (len(found), 0), "words were lost at the end"


@st.composite
def run_lists(draw, alphabet=ALPHABET, max_size=300):
    """Text cut into 1-4 runs whose fonts alternate regular/bold."""
    text = draw(st.text(alphabet=st.sampled_from(alphabet), max_size=max_size))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=3)))
    bounds = [0, *cuts, len(text)]
    start = draw(st.sampled_from([0, 1]))
    return tuple(Run(text[a:b], (REGULAR, BOLD)[(start + n) % 2], colors.black)
                 for n, (a, b) in enumerate(zip(bounds, bounds[1:])))


widths = st.floats(min_value=30, max_value=500, allow_nan=False)


# --- the line breaker ----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(runs=run_lists(), width=widths)
def test_no_line_is_wider_than_the_width(runs, width):
    lines = layout(runs, width)
    for line in lines:
        assert line_width(line) <= width + TOLERANCE
        assert measured_width(line, runs, SIZE) <= width + TOLERANCE


@settings(max_examples=200, deadline=None)
@given(runs=run_lists(), width=widths, first_width=widths)
def test_first_line_is_held_to_first_width_and_the_rest_to_width(runs, width, first_width):
    lines = layout(runs, width, first_width)
    for number, line in enumerate(lines):
        limit = first_width if number == 0 else width
        assert line_width(line) <= limit + TOLERANCE
        assert measured_width(line, runs, SIZE) <= limit + TOLERANCE


@settings(max_examples=200, deadline=None)
@given(runs=run_lists(), width=widths, first_width=widths)
def test_every_character_but_breaking_white_space_is_kept_in_order(runs, width, first_width):
    text = "".join(run.text for run in runs)
    laid_out = "".join(texts(layout(runs, width, first_width)))
    assert BREAK.sub("", laid_out) == BREAK.sub("", text)
    assert laid_out.count(NBSP) == text.count(NBSP)  # no-break spaces are text, not white space


@settings(max_examples=200, deadline=None)
@given(runs=run_lists(), width=widths)
def test_lines_break_only_at_white_space_or_inside_a_word_too_wide_for_a_line(runs, width):
    """So a no-break space never becomes a line break: it sits inside a word, and words are cut only
    when they are wider than a whole line."""
    check_breaks(runs, layout(runs, width), SIZE, width, width)


@settings(max_examples=200, deadline=None)
@given(runs=run_lists(), width=widths)
def test_each_line_holds_as_many_whole_words_as_fit(runs, width):
    """Greedy: the first word of the next line (when it is a whole word) would not have fitted."""
    lines = layout(runs, width)
    whole = {word for word, _ in source_words(runs, SIZE)}
    widest_space = max(stringWidth(" ", REGULAR, SIZE), stringWidth(" ", BOLD, SIZE))
    for line, following in zip(lines, lines[1:]):
        first = list(itertools.takewhile(lambda p: p.text != " ", following))
        if "".join(p.text for p in first) in whole:
            assert line_width(line) + widest_space + line_width(first) > width - TOLERANCE


def test_a_no_break_space_keeps_its_neighbours_on_one_line():
    runs = [Run(" ".join(["dose 10\u00a0mg", "α\u00a0≥\u00a02", "q\u00a08\u00a0h"] * 12), REGULAR, colors.black)]
    whole = {"dose", "10\u00a0mg", "α\u00a0≥\u00a02", "q\u00a08\u00a0h"}
    for width in range(40, 400, 7):
        for text in texts(layout(runs, width)):
            assert not text.startswith(NBSP) and not text.endswith(NBSP), (width, text)
            assert set(BREAK.split(text)) <= whole, (width, text)


def test_a_word_wider_than_the_line_is_cut_into_pieces_that_fit_and_no_other_word_is_cut():
    long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
    runs = [Run("a few short words ", REGULAR, colors.black), Run(long_word, BOLD, colors.black),
            Run(" and then some more short words after it", REGULAR, colors.black)]
    width = 100
    assert stringWidth(long_word, BOLD, SIZE) > 2 * width
    lines = layout(runs, width)
    assert all(line_width(line) <= width + TOLERANCE for line in lines)
    pieces = ["".join(p.text for p in line if p.run == 1) for line in lines]
    pieces = [piece for piece in pieces if piece]
    assert len(pieces) >= 3  # on three lines or more
    assert "".join(pieces) == long_word  # cut, with nothing put between the pieces
    shown = " ".join(texts(lines))
    for short in "a few short words and then some more short words after it".split():
        assert re.search(rf"(^|\s){short}(\s|$)", shown), short  # never cut
    check_breaks(runs, lines, SIZE, width, width)


def test_a_word_too_wide_for_any_line_starts_where_the_line_has_got_to():
    url = "https://www.example.org/drugs/" + "a-long-path-segment/" * 8
    runs = [Run("Agency. Title; 2022. ", REGULAR, colors.black), Run(url, REGULAR, colors.blue, url=url)]
    lines = layout(runs, 200)
    assert texts(lines)[0].startswith("Agency. Title; 2022. https://")  # no short line left before it
    assert "".join(texts(lines)).endswith(url[-40:]) and len(lines) >= 3
    assert all(line_width(line) <= 200 + TOLERANCE for line in lines)
    assert all(text[-1] in "/-." for text in texts(lines)[:-1])  # cut after a slash, hyphen or dot


def test_a_word_that_fits_a_line_moves_whole_to_the_next_line():
    runs = [Run("xx " + "m" * 10, REGULAR, colors.black)]
    width = stringWidth("m" * 10, REGULAR, SIZE) + 1  # the word fits a line, but not after "xx "
    assert texts(layout(runs, width)) == ["xx", "m" * 10]


def test_the_first_line_honours_first_width_and_later_lines_width():
    runs = [Run("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu " * 6, REGULAR, colors.black)]
    for width, first_width in [(200, 120), (120, 200)]:  # an indented first line, a hanging indent
        lines = layout(runs, width, first_width)
        assert len(lines) > 3
        assert line_width(lines[0]) <= first_width
        assert all(line_width(line) <= width for line in lines[1:])
        space = stringWidth(" ", REGULAR, SIZE)
        # greedy at each width: the next line's first word would not have fitted
        first_word = lines[1][0].width
        assert line_width(lines[0]) + space + first_word > first_width
        for line, following in zip(lines[1:], lines[2:]):
            assert line_width(line) + space + following[0].width > width
        check_breaks(runs, lines, SIZE, width, first_width)


LONG = "x" * 12  # about 64pt at 10.5pt: wider than 30pt, narrower than 100pt


def test_a_word_that_fits_later_lines_is_not_cut_when_the_first_line_is_shorter():
    runs = [Run(f"ab {LONG} cd", REGULAR, colors.black)]
    assert texts(layout(runs, width=100, first_width=30)) == ["ab", f"{LONG} cd"]


def test_no_space_is_put_inside_a_word_on_a_hanging_first_line():
    runs = [Run(f"ab {LONG} cd", REGULAR, colors.black)]
    lines = layout(runs, width=30, first_width=100)
    check_breaks(runs, lines, SIZE, 30, 100)


def test_empty_and_blank_text_make_one_empty_line():
    for text in ["", "   ", "\n\t "]:
        assert texts(layout([Run(text, REGULAR, colors.black)], 100)) == [""]


def test_min_width_is_the_widest_word():
    runs = [Run("a bb ", REGULAR, colors.black), Run("widest", BOLD, colors.black), Run(" c", REGULAR, colors.black)]
    paragraph = RunParagraph(runs, fact_style())
    assert paragraph.minWidth() == pytest.approx(stringWidth("widest", BOLD, SIZE))


# --- wrap and split ------------------------------------------------------------------------------------


def many_lines(count_words=120):
    return [Run(" ".join(f"word{n}" for n in range(count_words)), REGULAR, colors.black)]


def test_wrap_takes_the_available_width_and_lines_times_leading_as_height():
    style = fact_style()
    paragraph = RunParagraph(many_lines(), style, bullet="•")
    width, height = paragraph.wrap(300, 10_000)
    inner = 300 - style.leftIndent - style.rightIndent
    expected = layout(paragraph.runs, inner, inner - style.firstLineIndent)
    assert width == 300
    assert height == pytest.approx(len(expected) * style.leading)
    assert texts(paragraph._lines) == texts(expected)
    assert paragraph.wrap(300, 10_000) == (width, height)
    paragraph.wrap(150, 10_000)
    assert paragraph.wrap(300, 50) == (width, height)  # the height offered does not matter


def test_split_returns_itself_when_all_lines_fit():
    paragraph = RunParagraph(many_lines(), fact_style())
    _, height = paragraph.wrap(300, 10_000)
    assert paragraph.split(300, height) == [paragraph]
    assert paragraph.split(300, 10_000) == [paragraph]


def test_split_moves_the_whole_paragraph_when_only_one_line_fits():
    style = fact_style()
    paragraph = RunParagraph(many_lines(), style, bullet="•")
    paragraph.wrap(300, 10_000)
    assert len(paragraph._lines) > 2
    assert paragraph.split(300, style.leading * 1.9) == []
    assert paragraph.split(300, style.leading * 0.5) == []


def test_split_cuts_between_lines_when_two_or_more_fit():
    style = fact_style()
    paragraph = RunParagraph(many_lines(), style, bullet="•")
    _, height = paragraph.wrap(300, 10_000)
    total = len(paragraph._lines)
    for k in range(2, total):
        first, rest = paragraph.split(300, k * style.leading)
        assert len(first._lines) == k
        assert texts(first._lines) + texts(rest._lines) == texts(paragraph._lines)
        assert first.bullet == "•" and not first.continued
        assert rest.bullet is None and rest.continued
        assert first.spaceAfter == 0 and rest.spaceBefore == 0
        assert first.wrap(300, 10_000) == (300, pytest.approx(k * style.leading))
        assert rest.wrap(300, 10_000) == (300, pytest.approx(height - k * style.leading))
    # a room a little short of k lines holds k - 1
    first, _ = paragraph.split(300, 3 * style.leading - 0.01)
    assert len(first._lines) == 2


# --- drawn into a PDF ----------------------------------------------------------------------------------


def build(story, pagesize=(595, 842), margin=50) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin, initialFontName=REGULAR)
    doc.build(story)
    return out.getvalue()


def annotations(page) -> list:
    return [a.get_object() for a in (page.get("/Annots") or [])]


def cite(*numbers: int) -> list[Run]:
    runs = [Run(" [", REGULAR, colors.black)]
    for position, number in enumerate(numbers):
        if position:
            runs.append(Run(", ", REGULAR, colors.black))
        runs.append(Run(str(number), REGULAR, colors.blue, f"ref-{number}"))
    return runs + [Run("]", REGULAR, colors.black)]


def test_a_pdf_reads_back_in_order_with_one_link_per_linked_run_per_line_and_only_dejavu():
    st_ = styles(SIZE)
    status = Run("[Approved]", BOLD, colors.green)
    long_link = Run("a linked run long enough to wrap over several lines " * 6, REGULAR, colors.blue, "ref-3")
    paragraphs = [
        RunParagraph([status, Run(" Ketamine is an NMDA antagonist", REGULAR, colors.black), *cite(1)],
                     st_["fact"], bullet="•"),
        RunParagraph([Run("Onset within minutes", REGULAR, colors.black), *cite(1, 2)], st_["fact"], bullet="•"),
        RunParagraph([Run("Doses\u00a0vary", BOLD, colors.black), *cite(1, 2, 3)], st_["fact"], bullet="•"),
        RunParagraph([Run("Before ", REGULAR, colors.black), long_link, Run(" after.", REGULAR, colors.black)],
                     st_["fact"], bullet="•"),
    ]
    destinations = [Paragraph(f'<a name="ref-{n}"/>Reference {n}', st_["body"]) for n in (1, 2, 3)]
    data = build([*paragraphs, *destinations])

    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == 1
    page = pdf.pages[0]
    text = pdf_inspect.fold(page.extract_text().replace(NBSP, " "))
    expected = ("[Approved] Ketamine is an NMDA antagonist [1] Onset within minutes [1, 2] Doses vary [1, 2, 3] "
                "Before " + long_link.text.strip() + " after. Reference 1 Reference 2 Reference 3").split()
    position = 0
    for word in expected:  # every word, in order
        found = text.find(word, position)
        assert found >= 0, f"{word!r} missing after {text[:position]!r}"
        position = found + len(word)
    assert text.count("•") == len(paragraphs)

    # one annotation per linked run on each line it sits on
    def linked_stretches(paragraph) -> int:
        return sum(1 for line in paragraph._lines
                   for run, _ in itertools.groupby(line, key=lambda p: p.run) if paragraph.runs[run].link)

    wrapped = len([line for line in paragraphs[3]._lines if any(p.run == 1 for p in line)])
    assert wrapped >= 3
    assert [linked_stretches(p) for p in paragraphs] == [1, 2, 3, wrapped]
    links = [a for a in annotations(page) if a.get("/Subtype") == "/Link"]
    assert len(links) == 1 + 2 + 3 + wrapped
    left, bottom, right, top = (float(v) for v in page.mediabox)
    for link in links:
        x1, y1, x2, y2 = (float(v) for v in link["/Rect"])
        assert left <= min(x1, x2) < max(x1, x2) <= right
        assert bottom <= min(y1, y2) < max(y1, y2) <= top

    used = pdf_inspect.fonts(data)
    assert {name.split("+")[-1] for name, _ in used} == {REGULAR, BOLD}
    assert all(embedded for _, embedded in used)
    assert not {name.split("+")[-1] for name, _ in used} & pdf_inspect.STANDARD_14
    for page in pdf.pages:
        for ref in page["/Resources"]["/Font"].values():
            assert "Helvetica" not in str(ref.get_object().get("/BaseFont"))


def test_a_paragraph_longer_than_a_page_flows_over_several_pages():
    style = styles(SIZE)["fact"]
    count = 800
    runs = [Run(" ".join(f"w{n:04d}" for n in range(count)), REGULAR, colors.black)]
    paragraph = RunParagraph(runs, style, bullet="•")
    pagesize, margin = (200, 300), 20
    frame_width = pagesize[0] - 2 * margin - 12  # SimpleDocTemplate's frame has 6pt padding each side
    _, height = paragraph.wrap(frame_width, 10_000)
    assert height / style.leading >= 200

    data = build([paragraph], pagesize=pagesize, margin=margin)  # no LayoutError

    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) >= 10
    found = re.findall(r"w\d{4}", " ".join(page.extract_text() for page in pdf.pages))
    assert found == [f"w{n:04d}" for n in range(count)]  # every word once, in order
    assert sum(page.extract_text().count("•") for page in pdf.pages) == 1  # the bullet only on the first part


@given(st.text(alphabet="abcxyz/-._ \u00a0", min_size=1, max_size=120), st.floats(20, 300), st.floats(-30, 30))
@settings(max_examples=300, deadline=None)
def test_cut_words_fit_their_lines_with_any_first_line_indent(text: str, width: float, indent: float) -> None:
    runs = [Run(text, REGULAR, colors.black)]
    lines = layout(runs, width, width + indent)
    for number, line in enumerate(lines):
        limit = width + indent if number == 0 else width
        if len("".join(p.text for p in line).strip()) > 1:  # a single character may not fit at all
            assert line_width(line) <= limit + TOLERANCE, (number, texts(lines))


def test_a_hanging_reference_number_does_not_push_its_long_word_past_the_column() -> None:
    runs = [Run("1.\u00a0\u00a0" + "x" * 60, REGULAR, colors.black)]
    lines = layout(runs, 200, 220)
    assert line_width(lines[0]) <= 220 and all(line_width(line) <= 200 for line in lines[1:])
