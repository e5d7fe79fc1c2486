"""Where the PDF editions' internal links and bookmarks take the reader.

A citation number jumps to its entry in the reference list, a contents line to its section, and a
bookmark to its heading: on the right page and, where the destination names a top edge (/XYZ), with
that entry or heading as the first text below it. The editions are built through the command line
only; what they should show is read from the content file itself.

Destinations are recognised by name where the PDF keeps names (DESTINATION_NAMES below). ReportLab
writes most links as explicit [page /XYZ left top zoom] arrays with no name left, so such a link is
recognised by its visible text: a number is a citation, a heading's title is a contents entry.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest
import yaml
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from generator.cli import main
from tests.pdf_links import Document, Link, Location, fold, squash

ROOT = Path(__file__).parent.parent
KETAMINE = ROOT / "content" / "ketamine.yaml"
MINIMAL = Path(__file__).parent / "data" / "valid" / "minimal.yaml"
PAPERS = ("a4", "letter")

# How the generator names its destinations, and so what each name must lead to. A destination whose
# name matches none of these is reported by name: add its pattern here, and its target to
# handout_expectation or patient_expectation below.
DESTINATION_NAMES: dict[str, str] = {
    "reference": "ref-{id}",  # a reference's entry in the numbered list
    "section": "section-{id}",  # a section's heading
    "table": "table-{id}",  # a table's caption
    "references": "references",  # the "References" heading
    "key_points": "key-points",  # the patient sheet's "Key points" heading
    "questions": "questions",  # the patient sheet's "Questions you may want to ask" heading
    "figure": "figure-{id}",  # a figure's caption (below its drawing)
    "patient_section": "patient-{n}",  # the patient sheet's n-th section heading, counting from 0
}
LEADERS = re.compile(r"\.{3,}(\d*)$")  # a contents line's dot leaders and page number, white space removed
TITLE_START = 25  # characters of a reference's title the destination page must show
SHOWN = 25  # problems listed in full in a failure message


# --- what the content says the PDFs should show ------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """What a destination name stands for, and the text that proves a destination reaches it."""

    name: str  # as in DESTINATION_NAMES
    label: str  # for messages: "reference 12 (peltoniemi-2016)", "section 'History'"
    page_text: str  # the destination page must show this
    first_line: str  # below an /XYZ destination's top edge, the text must begin with this
    heading: bool  # a heading (contents entries and bookmarks point at these), not a reference entry


@dataclass(frozen=True)
class Expectation:
    targets: dict[str, Target]  # by destination name
    citation_numbers: dict[int, str]  # printed citation number -> destination name of its reference
    figure_numbers: dict[int, str] = field(default_factory=dict)  # "Figure N" in the text -> its caption

    def by_text(self, text: str) -> Target | None:
        """The target a link's visible text names: a citation number, or a heading's title (all of it,
        or the part of a wrapped one that one link rectangle covers; a contents link may also cover the
        line's dot leaders and page number)."""
        shown = LEADERS.sub("", squash(text)).strip("[](),;")
        if figure := FIGURE_REFERENCE.fullmatch(shown):  # "see Figure 2" in a fact
            return self.targets.get(self.figure_numbers.get(int(figure.group(1)), ""))
        if citation := CITATION.fullmatch(shown):  # a number, or a range that links to its first reference
            name = self.citation_numbers.get(int(citation.group(1)))
            return self.targets.get(name) if name else None
        headings = [t for t in self.targets.values() if t.heading]
        exact = [t for t in headings if squash(t.page_text) == shown]
        partial = [t for t in headings if len(shown) >= 3 and shown in squash(t.page_text)]
        return exact[0] if exact else partial[0] if len(partial) == 1 else None


CITATION = re.compile(r"(\d+)(?:\u2013(\d+))?")
CAPTION_NUMBER = re.compile(r"^\s*(?:Table|Figure)\s+\d+\.\s*")  # a caption prints its number before the title
FIGURE_REFERENCE = re.compile(r"Figure\s?(\d+)")


def unnumbered(text: str) -> str:
    return CAPTION_NUMBER.sub("", text, count=1)


def destination(kind: str, **fields: Any) -> str:
    return DESTINATION_NAMES[kind].format(**fields)


def citation_numbers(content: dict[str, Any]) -> dict[str, int]:
    """Reference id -> its printed number: "numbered in the order they are first cited"
    (docs/content-format.md), reading the handout from the top, so the key-points box first; in a
    section, facts before table rows. References cited nowhere come last, in file order."""
    sections = sorted(content["sections"], key=lambda s: s["id"] != content.get("key_points"))
    cited: list[str] = []
    for section in sections:
        cited += [source for fact in section["facts"] for source in fact["sources"]]
        cited += [source for table in section.get("tables", []) for row in table["rows"] for source in row["sources"]]
        cited += [source for figure in section.get("figures", []) for source in figure["sources"]]
    numbers: dict[str, int] = {}
    for ref_id in cited + [ref["id"] for ref in content["references"]]:
        numbers.setdefault(ref_id, len(numbers) + 1)
    return numbers


def handout_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections printed under their own heading: all but the one printed as the key-points box."""
    return [s for s in content["sections"] if s["id"] != content.get("key_points")]


def heading_target(kind: str, title: str, printed: str | None = None, **fields: Any) -> Target:
    """A heading's target; `printed` is the heading as printed when it shows more than the title."""
    label = f"{kind.replace('_', ' ')} {title!r}"
    return Target(destination(kind, **fields), label, printed or title, printed or title, heading=True)


def handout_expectation(content: dict[str, Any]) -> Expectation:
    numbers = citation_numbers(content)
    targets = []
    for ref in content["references"]:
        number, title = numbers[ref["id"]], fold(ref["title"])
        targets.append(Target(destination("reference", id=ref["id"]), f"reference {number} ({ref['id']})",
                              title[:TITLE_START], f"{number}.", heading=False))
    tables = figures = 0
    for section in handout_sections(content):
        targets.append(heading_target("section", section["title"], id=section["id"]))
        for table in section.get("tables", []):  # captions are numbered in reading order: "Table 1. Title"
            tables += 1
            targets.append(heading_target("table", table["title"], f"Table {tables}. {table['title']}",
                                          id=table["id"]))
        for figure in section.get("figures", []):  # so are figures: "Figure 1. Caption"
            figures += 1
            targets.append(heading_target("figure", " ".join(figure["caption"].split()),
                                          f"Figure {figures}. {' '.join(figure['caption'].split())}", id=figure["id"]))
    targets.append(heading_target("references", "References"))
    by_name = {t.name: t for t in targets}
    figure_ids = [figure["id"] for section in handout_sections(content) for figure in section.get("figures", [])]
    return Expectation(by_name, {n: destination("reference", id=ref_id) for ref_id, n in numbers.items()},
                       {n: destination("figure", id=figure_id) for n, figure_id in enumerate(figure_ids, 1)})


def patient_expectation(sheet: dict[str, Any]) -> Expectation:
    """One patient sheet's headings: its sections, then the questions and key points if it has them."""
    targets = [heading_target("patient_section", part["title"], n=n) for n, part in enumerate(sheet["sections"])]
    if sheet.get("questions"):
        targets.append(heading_target("questions", "Questions you may want to ask"))
    if sheet.get("key_points"):
        targets.append(heading_target("key_points", "Key points"))
    return Expectation({t.name: t for t in targets}, {})


# --- checking where destinations land -----------------------------------------------------------------

def page_excerpt(doc: Document, page: int) -> str:
    return fold(doc.reading_text(page))[:70]


def where_it_is(doc: Document, text: str) -> str:
    pages = doc.pages_showing(text)
    return f"that text is on page {', '.join(str(p + 1) for p in pages)}" if pages else "no page shows that text"


def landing_problems(doc: Document, what: str, to: Location | None, label: str, page_text: str,
                     first_line: str, heading: bool) -> list[str]:
    """Whether a destination reaches its target: the page shows `page_text` (outside the page's own
    links); a heading's destination is a page where that title stands on a line of its own, if any page
    has it so (a title can also occur in running text); and if the destination has a top edge, the
    first text below it begins with `first_line`. For /Fit destinations only the page can be checked."""
    if to is None:
        return [f"{what}: the destination does not resolve to a page of this document (expected {label})"]
    if not doc.shows(to.page, page_text):
        return [f"{what}: expected {label}, showing {page_text!r}, on page {to.page + 1}; that page reads "
                f"{page_excerpt(doc, to.page)!r}...; {where_it_is(doc, page_text)}"]
    standing = doc.heading_pages(page_text) if heading else []
    if standing and to.page not in standing:
        return [f"{what}: expected {label} on page {to.page + 1}, but there the title only occurs in running "
                f"text; the heading stands on page {', '.join(str(p + 1) for p in standing)}"]
    if to.top is not None:
        below = doc.text_below(to.page, to.top)
        if not squash(unnumbered(below)).startswith(squash(unnumbered(first_line))[:TITLE_START]):
            return [f"{what}: expected {label} just below top {to.top:.1f} on page {to.page + 1}, beginning "
                    f"{first_line!r}; the text there begins {fold(below)[:70]!r}"]
    return []


def identify(link: Link, expected: Expectation) -> tuple[Target | None, str | None]:
    """The target of a link (by destination name, else by visible text), or a problem saying why not."""
    if link.name is not None:
        target = expected.targets.get(link.name)
        if target is None:
            return None, f"unknown destination name {link.name!r}"
        by_text = expected.by_text(link.text)
        if not target.heading and by_text is not None and by_text.name != target.name:
            return None, f"{link}: its text names {by_text.label} but its destination is {target.label}"
        return target, None
    target = expected.by_text(link.text)
    if target is None:
        return None, f"{link}: no citation number or heading title has this text"
    return target, None


def link_problems(doc: Document, expected: Expectation) -> list[str]:
    """Every internal link: recognised, and landing on its target."""
    problems: list[str] = []
    unknown: Counter[str] = Counter()
    for link in doc.links:
        if link.name is not None and link.name not in expected.targets:
            unknown[link.name] += 1
            continue
        target, problem = identify(link, expected)
        if target is None:
            problems.append(problem or f"{link}: no target")
        else:
            problems += landing_problems(doc, str(link), link.to, target.label, target.page_text, target.first_line,
                                         target.heading)
    if unknown:
        problems.insert(0, f"destination names with no known target ({sum(unknown.values())} links); extend "
                           f"DESTINATION_NAMES in {Path(__file__).name}: {sorted(unknown)}")
    return problems


def bookmark_problems(doc: Document) -> list[str]:
    """Every outline entry lands on a page that shows its title (and, with a top edge, just below it)."""
    return [problem for mark in doc.bookmarks
            for problem in landing_problems(doc, str(mark), mark.to, f"the heading {mark.title!r}", mark.title,
                                            mark.title, heading=True)]


def report(problems: list[str], what: str, locations: Iterable[Location | None]) -> str:
    pages = Counter(to.page + 1 for to in locations if to is not None)
    shown = "\n  ".join(problems[:SHOWN])
    more = f"\n  ... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return (f"{len(problems)} problems with {what}; destinations by page: {dict(sorted(pages.items()))}\n  "
            f"{shown}{more}")


def targets_of_links(doc: Document, expected: Expectation) -> list[tuple[Link, Target]]:
    pairs = [(link, identify(link, expected)[0]) for link in doc.links]
    return [(link, target) for link, target in pairs if target is not None]


def citation_links(doc: Document, expected: Expectation) -> list[Link]:
    return [link for link, target in targets_of_links(doc, expected) if not target.heading]


def contents_links(doc: Document, expected: Expectation) -> list[tuple[Link, Target]]:
    return [(link, target) for link, target in targets_of_links(doc, expected) if target.heading]


def contents_problems(doc: Document, expected: Expectation) -> list[str]:
    """Each contents entry leads to the page where its heading stands (on a line of its own, not as a
    link), and the page number printed after it, if any, names that same page."""
    problems = []
    for link, target in contents_links(doc, expected):
        pages = doc.heading_pages(target.page_text)
        landed = link.to.page if link.to else None
        if len(pages) != 1:
            problems.append(f"{link}: the heading {target.page_text!r} stands on pages "
                            f"{[p + 1 for p in pages]}, expected exactly one")
        elif landed != pages[0]:
            problems.append(f"{link}: the heading {target.page_text!r} is on page {pages[0] + 1}, "
                            f"the link leads to page {landed + 1 if landed is not None else 'nowhere'}")
        printed = printed_page(doc, link)
        if printed is not None and landed is not None and printed != landed + 1:
            problems.append(f"{link}: the contents line prints page {printed}")
    return problems


def printed_page(doc: Document, link: Link) -> int | None:
    """The page number printed at the end of a contents line, inside the link or after it."""
    found = LEADERS.search(squash(link.text)) or LEADERS.search(squash(doc.rest_of_line(link)))
    return int(found.group(1)) if found and found.group(1) else None


def outline_shape(doc: Document) -> list[tuple[int, str, str | None]]:
    return [(mark.depth, mark.title, mark.parent) for mark in doc.bookmarks]


def expected_handout_outline(content: dict[str, Any]) -> list[tuple[int, str, str | None]]:
    """One top-level entry per section printed under a heading, each table's and figure's caption under
    its section, then "References"."""
    shape: list[tuple[int, str, str | None]] = []
    for section in handout_sections(content):
        shape.append((0, section["title"], None))
        shape += [(1, table["title"], section["title"]) for table in section.get("tables", [])]
        shape += [(1, " ".join(figure["caption"].split()), section["title"]) for figure in section.get("figures", [])]
    return shape + [(0, "References", None)]


def fact_source_pairs(content: dict[str, Any]) -> int:
    return sum(len(fact["sources"]) for section in content["sections"] for fact in section["facts"])


def spread_problem(doc: Document, what: str, locations: list[Location | None], texts: list[str]) -> str | None:
    """If the texts these destinations lead to are on several pages, the destinations must not all lead
    to one page (the regression where every link and bookmark pointed at page 1)."""
    text_pages = {page for text in texts for page in doc.pages_showing(text)}
    landed = {to.page for to in locations if to is not None}
    if len(text_pages) > 1 and len(landed) <= 1:
        return (f"all {len(locations)} {what} lead to page {', '.join(str(p + 1) for p in landed) or 'nowhere'}, "
                f"though their targets are on pages {sorted(p + 1 for p in text_pages)}")
    return None


# --- building the editions through the command line ------------------------------------------------

@dataclass(frozen=True)
class Built:
    paper: str
    content: dict[str, Any]
    handout: Document
    patients: list[tuple[dict[str, Any], Document]]  # each patient sheet of the content, with its PDF


def build(source: Path, out: Path, paper: str) -> Built:
    code = main(["build", str(source), "--out", str(out), "--only", "handout,patient", "--paper", paper])
    assert code == 0, f"factpack build {source.name} --paper {paper} exited with {code}"
    content = yaml.safe_load(source.read_text(encoding="utf-8-sig"))
    topic = content["topic"]["id"]
    return Built(paper, content, Document((out / f"{topic}-handout.pdf").read_bytes()),
                 [(sheet, Document((out / f"{topic}-patient-{sheet['id']}.pdf").read_bytes()))
                  for sheet in content["patient_sheets"]])


def editions(built: Built, edition: str) -> list[tuple[str, Document, Expectation]]:
    """The PDFs of one edition (the handout, or every patient sheet), each with what it should hold."""
    if edition == "handout":
        return [("handout", built.handout, handout_expectation(built.content))]
    return [(f"patient sheet {sheet['id']}", doc, patient_expectation(sheet)) for sheet, doc in built.patients]


@pytest.fixture(scope="module", params=PAPERS)
def ketamine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(KETAMINE, tmp_path_factory.mktemp(f"ketamine-{request.param}"), request.param)


@pytest.fixture(scope="module", params=PAPERS)
def minimal_built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(MINIMAL, tmp_path_factory.mktemp(f"minimal-{request.param}"), request.param)


# --- the shipped content ---------------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["handout", "patient"])
def test_internal_links_land_on_their_targets(ketamine: Built, edition: str) -> None:
    """Citation numbers on their reference's entry, contents lines on their heading (the patient sheets
    have no internal links today; any they get are held to the same rule)."""
    for name, doc, expected in editions(ketamine, edition):
        problems = link_problems(doc, expected)
        assert not problems, report(problems, f"the {ketamine.paper} {name}'s internal links",
                                    (link.to for link in doc.links))


@pytest.mark.parametrize("edition", ["handout", "patient"])
def test_bookmarks_land_on_their_headings(ketamine: Built, edition: str) -> None:
    for name, doc, _ in editions(ketamine, edition):
        problems = bookmark_problems(doc)
        assert not problems, report(problems, f"the {ketamine.paper} {name}'s bookmarks",
                                    (mark.to for mark in doc.bookmarks))


def test_handout_outline_has_one_entry_per_section_and_references(ketamine: Built) -> None:
    assert outline_shape(ketamine.handout) == expected_handout_outline(ketamine.content)


def test_patient_outline_has_one_entry_per_heading(ketamine: Built) -> None:
    """One entry per section of each patient sheet, then its questions and key points."""
    assert len(ketamine.patients) == 2
    for _, doc, expected in editions(ketamine, "patient"):
        headings = [target.page_text for target in expected.targets.values()]
        assert [title for _, title, _ in outline_shape(doc)] == headings


def test_every_fact_source_pair_has_a_citation_link(ketamine: Built) -> None:
    """Every cited number is under a link: its own, or that of the range it is printed in ([5–13])."""
    expected = handout_expectation(ketamine.content)
    links = citation_links(ketamine.handout, expected)
    covered = sum(cited_count(link.text) for link in links)
    assert covered >= fact_source_pairs(ketamine.content), (
        f"{covered} citation numbers under links for {fact_source_pairs(ketamine.content)} (fact, source) pairs")


def cited_count(text: str) -> int:
    found = CITATION.fullmatch(LEADERS.sub("", squash(text)).strip("[](),;"))
    return int(found.group(2) or found.group(1)) - int(found.group(1)) + 1 if found else 0


def test_contents_entries_lead_to_their_section_pages(ketamine: Built) -> None:
    doc, expected = ketamine.handout, handout_expectation(ketamine.content)
    entries = contents_links(doc, expected)
    headings = {name for name, target in expected.targets.items() if target.heading}
    assert {target.name for _, target in entries} == headings, "a heading without a contents entry"
    problems = contents_problems(doc, expected)
    assert not problems, report(problems, f"the {ketamine.paper} handout's contents", (link.to for link, _ in entries))


def test_destinations_are_not_all_on_one_page(ketamine: Built) -> None:
    handout = ketamine.handout
    expected = handout_expectation(ketamine.content)
    pairs = targets_of_links(handout, expected)
    problems = [
        spread_problem(handout, "internal links of the handout", [link.to for link, _ in pairs],
                       [target.page_text for _, target in pairs]),
        spread_problem(handout, "bookmarks of the handout", [m.to for m in handout.bookmarks],
                       [m.title for m in handout.bookmarks]),
    ] + [spread_problem(patient, f"bookmarks of patient sheet {sheet['id']}", [m.to for m in patient.bookmarks],
                        [m.title for m in patient.bookmarks]) for sheet, patient in ketamine.patients]
    assert not any(problems), "\n".join(p for p in problems if p)


# --- the minimal content file (one page each: checks the mapping, not the paging) --------------------

def test_minimal_content_links_and_bookmarks_land_on_their_targets(minimal_built: Built) -> None:
    content, handout = minimal_built.content, minimal_built.handout
    expected = handout_expectation(content)
    problems = link_problems(handout, expected) + bookmark_problems(handout)
    problems += [problem for _, patient in minimal_built.patients for problem in bookmark_problems(patient)]
    problems += contents_problems(handout, expected)
    assert not problems, report(problems, "the minimal editions", [link.to for link in handout.links])
    assert outline_shape(handout) == expected_handout_outline(content)
    assert len(citation_links(handout, expected)) >= fact_source_pairs(content)


# --- the checker itself, on a hand-made PDF whose destinations are known ------------------------------

CONTROL: dict[str, Any] = {  # the same shape as a content file; numbering: r2 is [1], r1 is [2]
    "topic": {"id": "control"},
    "references": [{"id": "r1", "title": "First reference on alpha matters and their measurement"},
                   {"id": "r2", "title": "Second reference, about beta"}],
    "sections": [
        {"id": "alpha", "title": "Alpha section", "facts": [{"sources": ["r2", "r1"]}],
         "tables": [{"id": "grid", "title": "Alpha grid", "rows": [{"sources": ["r1"]}]}]},
        {"id": "beta", "title": "Beta section", "facts": [{"sources": ["r1"]}]},
    ],
}


def hand_made_pdf() -> bytes:
    """A ReportLab document laid out like the handout, destinations made the usual ReportLab way:
    <a name> anchors on later pages, <a href="#..."> links to them, and outline entries (sections by
    bookmarkPage, a /Fit destination; the table caption by its anchor, an /XYZ one)."""
    import reportlab
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(TTFont("ControlVera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    body = ParagraphStyle("body", fontName="ControlVera", fontSize=10, leading=13)
    h1 = ParagraphStyle("h1", parent=body, fontSize=15, leading=19, spaceBefore=12, spaceAfter=6)
    numbers = citation_numbers(CONTROL)

    def heading(title: str, name: str, level: int, printed: str | None = None) -> Paragraph:
        para = Paragraph(f'<a name="{name}"/>{printed or title}', h1 if level == 0 else body)
        para.outline = (title, name, level)  # type: ignore[attr-defined]
        return para

    def cite(*ref_ids: str) -> str:
        return "[" + ", ".join(f'<a href="#{destination("reference", id=r)}">{numbers[r]}</a>'
                               for r in sorted(ref_ids, key=numbers.__getitem__)) + "]"

    filler = [Paragraph(f"Filler line {n} keeps the next entry away from the top of the page.", body)
              for n in range(12)]
    alpha, beta = CONTROL["sections"]
    story: list[Flowable] = [
        Paragraph("Control document", h1),
        Paragraph("Contents", h1),
        Paragraph(f'<a href="#{destination("section", id="alpha")}">Alpha section</a>', body),
        Paragraph(f'<a href="#{destination("table", id="grid")}">Alpha grid</a>', body),
        Paragraph(f'<a href="#{destination("section", id="beta")}">Beta section</a>', body),
        Paragraph(f'<a href="#{destination("references")}">References</a>', body),
        PageBreak(), *filler,
        heading(alpha["title"], destination("section", id="alpha"), 0),
        Paragraph(f"A fact about alpha {cite('r2', 'r1')}.", body),
        Spacer(1, 200),
        heading("Alpha grid", destination("table", id="grid"), 1, "Table 1. Alpha grid"),
        Paragraph(f"A row of the grid {cite('r1')}.", body),
        PageBreak(),
        heading(beta["title"], destination("section", id="beta"), 0),
        Paragraph(f"A fact about beta {cite('r1')}.", body),
        PageBreak(), *filler,
        heading("References", destination("references"), 0),
    ]
    for number, ref in sorted((numbers[r["id"]], r) for r in CONTROL["references"]):
        story += [Paragraph(f'<a name="{destination("reference", id=ref["id"])}"/>{number}.  Author A. {ref["title"]}. '
                            f"Journal; 2020.", body), *filler[:6]]

    class Control(SimpleDocTemplate):
        def afterFlowable(self, flowable: Flowable) -> None:
            title, name, level = getattr(flowable, "outline", (None, None, 0))
            if title is None:
                return
            if level == 0:
                self.canv.bookmarkPage(name)  # as the generator does: the heading's page, /Fit
            self.canv.addOutlineEntry(title, name, level=level, closed=False)

    out = io.BytesIO()
    Control(out, invariant=1).build(story)
    return out.getvalue()


def rewritten(data: bytes, change: Callable[[PdfWriter], None]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def explicit_destinations(writer: PdfWriter) -> list[ArrayObject]:
    """Every explicit destination array of the links and outline entries of a PDF being rewritten."""
    found = []

    def dest_of(item: DictionaryObject) -> None:
        dest = item.get("/Dest")
        if dest is None and "/A" in item:
            dest = item["/A"].get_object().get("/D")
        if dest is not None and isinstance(dest.get_object(), ArrayObject):
            found.append(dest.get_object())

    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            dest_of(annotation.get_object())
    outlines = writer._root_object.get("/Outlines")
    stack = [outlines.get_object()["/First"]] if outlines is not None and "/First" in outlines.get_object() else []
    while stack:
        item = stack.pop().get_object()
        dest_of(item)
        stack += [item[key] for key in ("/First", "/Next") if key in item]
    return found


def test_checker_accepts_a_hand_made_pdf_with_correct_destinations() -> None:
    doc, expected = Document(hand_made_pdf()), handout_expectation(CONTROL)
    assert doc.page_count == 4
    assert len(citation_links(doc, expected)) == 4
    assert {link.to.fit for link in doc.links if link.to} == {"/XYZ", "/Fit"}  # both kinds are checked
    assert {mark.to.fit for mark in doc.bookmarks if mark.to} == {"/XYZ", "/Fit"}
    problems = link_problems(doc, expected) + bookmark_problems(doc) + contents_problems(doc, expected)
    assert problems == []
    assert outline_shape(doc) == expected_handout_outline(CONTROL)
    locations = [link.to for link in doc.links]
    assert spread_problem(doc, "links", locations, [t.page_text for _, t in targets_of_links(doc, expected)]) is None


def test_checker_reports_destinations_that_all_point_at_page_1() -> None:
    def to_page_1(writer: PdfWriter) -> None:
        for dest in explicit_destinations(writer):
            dest[0] = writer.pages[0].indirect_reference

    doc, expected = Document(rewritten(hand_made_pdf(), to_page_1)), handout_expectation(CONTROL)
    links, marks = link_problems(doc, expected), bookmark_problems(doc)
    assert len(links) == len(doc.links) and all("on page 1;" in p for p in links), links
    assert len(marks) == len(doc.bookmarks), marks
    assert any("expected reference 1 (r2), showing 'Second reference, about b', on page 1;" in p for p in links)
    assert len(contents_problems(doc, expected)) == 4
    texts = [t.page_text for _, t in targets_of_links(doc, expected)]
    assert "lead to page 1" in (spread_problem(doc, "links", [link.to for link in doc.links], texts) or "")


def test_checker_reports_a_citation_that_lands_on_the_wrong_entry_of_the_right_page() -> None:
    on_page_2 = [link for link in Document(hand_made_pdf()).links if link.page == 1]
    assert [fold(link.text) for link in on_page_2] == ["1", "2", "2"]  # "[1, 2]" of a fact, "[2]" of a row

    def swap_first_two(writer: PdfWriter) -> None:
        first, second = (a.get_object() for a in writer.pages[1]["/Annots"][:2])
        dest = NameObject("/Dest")
        first[dest], second[dest] = second[dest], first[dest]

    doc = Document(rewritten(hand_made_pdf(), swap_first_two))
    problems = link_problems(doc, handout_expectation(CONTROL))
    assert len(problems) == 2 and all("just below top" in p for p in problems), problems
    assert "beginning '1.'; the text there begins '2. Author A. First reference" in problems[0], problems


def with_named_destinations(data: bytes, rename: dict[str, str]) -> bytes:
    """The hand-made PDF with every link pointing at a named destination (in a /Names /Dests tree)
    instead of an explicit array, names as DESTINATION_NAMES gives them (or as `rename` changes them)."""
    original, expected = Document(data), handout_expectation(CONTROL)

    def name_them(writer: PdfWriter) -> None:
        tree: dict[str, ArrayObject] = {}
        links = iter(original.links)
        for page in writer.pages:
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                target = expected.by_text(next(links).text)
                assert target is not None
                name = rename.get(target.name, target.name)
                tree[name] = annotation["/Dest"]
                annotation[NameObject("/Dest")] = TextStringObject(name)
        pairs = ArrayObject()
        for name in sorted(tree):
            pairs += [TextStringObject(name), tree[name]]
        dests = DictionaryObject({NameObject("/Names"): pairs})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): dests})

    return rewritten(data, name_them)


def test_checker_follows_named_destinations() -> None:
    doc = Document(with_named_destinations(hand_made_pdf(), {}))
    assert all(link.name for link in doc.links) and all(link.to for link in doc.links)
    assert link_problems(doc, handout_expectation(CONTROL)) == []


def test_checker_lists_destination_names_it_does_not_know() -> None:
    doc = Document(with_named_destinations(hand_made_pdf(), {"table-grid": "figure-grid", "ref-r2": "cite-r2"}))
    problems = link_problems(doc, handout_expectation(CONTROL))
    assert problems == ["destination names with no known target (2 links); extend DESTINATION_NAMES in "
                        "test_pdf_destinations.py: ['cite-r2', 'figure-grid']"]
