"""Inline formatting, read as the content format describes it: what each mark does, which marks are errors
(and where), and properties that hold for any text at all."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, strategies as st

from generator.source import cloze, inline
from generator.source.inline import Run

I, B, SUB, SUP = ({"italic": True}, {"bold": True}, {"sub": True}, {"sup": True})


def runs(*parts: tuple[str, dict] | str) -> tuple[Run, ...]:
    return tuple(Run(part) if isinstance(part, str) else Run(part[0], **part[1]) for part in parts)


@pytest.mark.parametrize(("text", "expected"), [
    ("plain text", runs("plain text")),
    ("*italic*", runs(("italic", I))),
    ("**bold**", runs(("bold", B))),
    ("***both***", runs(("both", I | B))),
    ("H~2~O", runs("H", ("2", SUB), "O")),
    ("10^6^ cells", runs("10", ("6", SUP), " cells")),
    ("a *b* c", runs("a ", ("b", I), " c")),
    ("**bold *and italic***", runs(("bold ", B), ("and italic", B | I))),
    ("*italic and **bold***", runs(("italic and ", I), ("bold", I | B))),
    ("***x* y**", runs(("x", B | I), (" y", B))),
    ("~*x*~", runs(("x", SUB | I))),
    ("(*Ketalar*).", runs("(", ("Ketalar", I), ").")),
    ("5 * 3", runs("5 * 3")),
    ("a ~ b ^ c", runs("a ~ b ^ c")),
    ("* ** ****", runs("* ** ****")),
    ("\\*not italic\\*", runs("*not italic*")),
    ("\\~ \\^ \\\\", runs("~ ^ \\")),
    ("a\\\\*b*", runs("a\\", ("b", I))),
    ("C:\\path \\n", runs("C:\\path \\n")),
    ("{{c1::x}} <b>", runs("{{c1::x}} <b>")),
    ("", ()),
])
def test_what_each_mark_does(text: str, expected: tuple[Run, ...]) -> None:
    assert inline.parse(text) == expected
    assert inline.problem(text) is None
    assert inline.plain(text) == "".join(run.text for run in expected)


@pytest.mark.parametrize(("text", "offset", "message"), [
    ("approved *for", 9, "'*' opens italic that never closes; write \\* for a literal asterisk"),
    ("approved* for", 8, "'*' closes italic that was never opened; write \\* for a literal asterisk"),
    ("**bold", 0, "'**' opens bold that never closes; write \\* for a literal asterisk"),
    ("~50%", 0, "'~' opens a subscript that never closes; write \\~ for a literal tilde"),
    ("x^2 + y", 1, "'^' opens a superscript that reaches a space; a superscript holds no spaces (write H~2~O or "
                   "10^6^), or write \\^ for a literal caret"),
    ("*a **b* c**", 6, "'*' closes italic while bold, opened inside it, is still open; close the inner one first, "
                       "or write \\* for a literal asterisk"),
    ("*a *b* c*", 3, "'*' opens italic inside italic; write \\* for a literal asterisk"),
    ("^~x~^", 1, "'~' opens a subscript inside a superscript; write \\~ for a literal tilde"),
    ("*a***", 2, "'***' closes bold and italic, but only italic is open; write \\* for a literal asterisk"),
    ("a ****b****", 2, "'****' is not formatting (one '*' is italic, two bold); write \\* for a literal asterisk"),
    ("~~strike~~", 0, "'~~' is not formatting (a marker is a single character); write \\~ for a literal tilde"),
])
def test_marks_that_do_not_pair_are_problems_at_the_mark(text: str, offset: int, message: str) -> None:
    assert inline.problem(text) == inline.Problem(offset, message)
    assert inline.plain(text)  # parse never fails: the text still reads


def test_first_problem_only() -> None:
    assert inline.problem("*a b* c* d*e").offset == 7


@pytest.mark.parametrize(("text", "offset"), [
    ("*a {{c1::b*}}", 0),  # opens outside, closes inside
    ("{{c1::*a}} b*", 6),  # opens inside, closes outside
    ("{{c1::a::*hint}}*", 9),  # a hint is a stretch of its own
    ("**{{c1::x}}**", 0),  # around a whole deletion too: write {{c1::**x**}}
])
def test_a_pair_across_a_cloze_edge_is_a_problem(text: str, offset: int) -> None:
    found = cloze.formatting_problem(text)
    assert found is not None and found.offset == offset
    assert "cloze deletion's edge" in found.message


def test_formatting_inside_and_around_deletions_is_fine() -> None:
    text = "*Water* is {{c1::H~2~O}}, {{c2::10^6^::*how many*}} and {{c3::**x**}}."
    assert cloze.formatting_problem(text) is None
    assert cloze.filled(text, inline.plain) == "Water is H2O, 106 and x."
    assert cloze.blanked(text, inline.plain) == "Water is [...], [how many] and [...]."
    assert cloze.formatting_problem("{{c1::*a*}} b*") is not None  # a stray mark outside is still an error


def test_first_marker_names_where_formatting_begins() -> None:
    assert inline.first_marker("a \\* b *c*") == 7
    assert inline.first_marker("a \\* b") is None
    assert inline.formatted("H~2~O") and not inline.formatted("5 * 3")


def test_hostile_input_is_read_in_linear_time() -> None:
    for hostile in ("*a" * 2500, "**" + "*a " * 1600, "~" * 5000, "\\" * 5000, "^a~b*" * 1000, "* " * 2500,
                    "*" * 5000 + "a"):
        inline._read.cache_clear()
        started = time.perf_counter()
        inline.parse(hostile), inline.problem(hostile)
        assert time.perf_counter() - started < 0.5, hostile[:20]  # a guard against a blow-up, not a timing


# Properties

ANY = st.text(st.characters(codec="utf-8"), max_size=200)
MARKED = st.text(alphabet="ab *~^\\\n", max_size=60)


@given(st.one_of(ANY, MARKED))
def test_never_raises_and_plain_is_the_runs(text: str) -> None:
    parsed = inline.parse(text)
    inline.problem(text), inline.first_marker(text), inline.formatted(text)
    assert inline.plain(text) == "".join(run.text for run in parsed)
    assert all(run.text for run in parsed)
    assert all(a.__dict__ | {"text": ""} != b.__dict__ | {"text": ""} for a, b in zip(parsed, parsed[1:]))  # merged


@given(st.one_of(ANY, MARKED))
def test_nesting_is_bounded(text: str) -> None:
    for run in inline.parse(text):
        assert not (run.sub and run.sup)  # at most three styles at once: bold, italic and one script


@given(st.one_of(ANY, MARKED))
def test_escaped_text_reads_back_as_itself(text: str) -> None:
    written = inline.escape(text)
    assert inline.problem(written) is None
    assert inline.plain(written) == text
    assert inline.parse(written) == ((Run(text),) if text else ())


@given(MARKED)
def test_a_text_without_problems_loses_only_its_marks(text: str) -> None:
    if inline.problem(text) is None:
        assert len(inline.plain(text)) <= len(text)
        kept = inline.plain(text)
        assert "".join(c for c in text if c not in "*~^\\") == "".join(c for c in kept if c not in "*~^\\")


STYLES = st.fixed_dictionaries({"italic": st.booleans(), "bold": st.booleans(), "script": st.sampled_from(["", "sub", "sup"])})
WORD = st.text(alphabet="abcXYZ09*~^\\.,()", min_size=1, max_size=8)


def _written(word: str, style: dict) -> str:
    """A word written with the marks of `style`, outermost first as the doc describes."""
    text = inline.escape(word)
    if style["script"]:
        mark = "~" if style["script"] == "sub" else "^"
        text = f"{mark}{text}{mark}"
    if style["italic"]:
        text = f"*{text}*"
    if style["bold"]:
        text = f"**{text}**"
    return text


@given(st.lists(st.tuples(WORD, STYLES), min_size=1, max_size=6))
def test_formatted_words_parse_back_to_their_styles(words: list[tuple[str, dict]]) -> None:
    source = " ".join(_written(word, style) for word, style in words)
    assert inline.problem(source) is None, source
    expected: list[Run] = []
    for i, (word, style) in enumerate(words):
        if i:
            expected.append(Run(" "))
        expected.append(Run(word, style["italic"], style["bold"], style["script"] == "sub", style["script"] == "sup"))
    merged: list[Run] = []
    for run in expected:
        if merged and (merged[-1].italic, merged[-1].bold, merged[-1].sub, merged[-1].sup) == (
                run.italic, run.bold, run.sub, run.sup):
            merged[-1] = Run(merged[-1].text + run.text, run.italic, run.bold, run.sub, run.sup)
        else:
            merged.append(run)
    assert inline.parse(source) == tuple(merged)


CLOZE_LIKE = st.lists(st.sampled_from(["a", " ", "*", "**", "~", "^", "\\", "{{c1::", "::", "}}", "b"]),
                      max_size=16).map("".join)


@given(CLOZE_LIKE)
def test_a_checked_cloze_text_reads_alike_stretch_by_stretch(text: str) -> None:
    """The loader checks each stretch with its neighbours in view; the renderers parse it alone: the same."""
    if cloze.formatting_problem(text) is None:
        for start, end in cloze.pieces(text):
            around = (text[start - 1:start] or " ", text[end:end + 1] or " ")
            assert inline._read(text[start:end], *around)[0] == inline.parse(text[start:end])
