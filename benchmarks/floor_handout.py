"""Floor: the handout and the patient sheets alone, their text as the build prints it, in raw ReportLab platypus.

The handout: the title, each section's heading (a bookmark and an outline entry) and intro, each fact as a
bulleted Paragraph with its status label in bold colour and each citation number a link to its reference,
then the references with their PMID, DOI and URL links. Each patient sheet: its title, main message,
sections and key points as plain bulleted text at 12 pt. All in the embedded DejaVu faces on A4
(invariant=1, as the project's PDFs; other ReportLab settings at their defaults, see _common.py).
No contents page numbers, running heads or key-points box: what the build adds beyond the text is its own
work, and counts against it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from _common import FACES, STATUS_LABELS, credit, facts, load, numbers, output_folder, paths

FAMILY = "DejaVuSans"
LINK = "#1f4e79"


class OutlinedDoc(SimpleDocTemplate):
    """Headings become bookmarks and outline entries, the standard platypus way."""

    def afterFlowable(self, flowable: Flowable) -> None:
        key = getattr(flowable, "outline_key", None)
        if key:
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=0)


def heading(title: str, key: str, style: ParagraphStyle) -> Paragraph:
    paragraph = Paragraph(escape(title), style)
    paragraph.outline_key, paragraph.outline_title = key, title
    return paragraph


def fact_paragraph(fact: dict[str, Any], cited: dict[str, int], style: ParagraphStyle) -> Paragraph:
    colour, label = STATUS_LABELS.get(fact.get("status"), (None, None))
    badge = f'<font color="{colour}"><b>{label}</b></font> ' if label else ""
    links = ", ".join(f'<a href="#{s}" color="{LINK}">{cited[s]}</a>' for s in sorted(fact["sources"], key=cited.get))
    return Paragraph(f"{badge}{escape(fact['text'])}\u00a0[{links}]", style, bulletText="•")


def reference_paragraph(ref: dict[str, Any], number: int, style: ParagraphStyle) -> Paragraph:
    parts = [f"{escape(credit(ref))}. {escape(ref['title'])}. <i>{escape(ref['published_in'])}</i>; {ref['year']}."]
    if ref.get("pmid"):
        parts.append(f'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{ref["pmid"]}/" color="{LINK}">{ref["pmid"]}</a>.')
    if ref.get("doi"):
        parts.append(f'doi: <a href={quoteattr("https://doi.org/" + ref["doi"])} color="{LINK}">{escape(ref["doi"])}</a>.')
    parts.append(f'<a href={quoteattr(ref["url"])} color="{LINK}">{escape(ref["url"])}</a>')
    return Paragraph(f'<a name="{ref["id"]}"/>{number}. ' + " ".join(parts), style)


def handout(doc: dict[str, Any], out: Path, st: dict[str, ParagraphStyle]) -> None:
    cited = numbers(doc)
    story: list[Flowable] = [Paragraph(escape(doc["topic"]["title"]), st["title"]),
                             Paragraph(escape(doc["topic"]["disclaimer"]), st["body"])]
    for section in doc["sections"]:
        story.append(heading(section["title"], section["id"], st["h1"]))
        if section.get("intro"):
            story.append(Paragraph(escape(section["intro"]), st["body"]))
        story += [fact_paragraph(fact, cited, st["fact"]) for fact in section["facts"]]
    story.append(heading("References", "references", st["h1"]))
    story += [reference_paragraph(ref, cited[ref["id"]], st["reference"]) for ref in doc["references"]]
    OutlinedDoc(str(out), pagesize=A4, invariant=1).build(story)


def patient_sheet(doc: dict[str, Any], sheet: dict[str, Any], out: Path, st: dict[str, ParagraphStyle]) -> None:
    plain = {fact["id"]: fact.get("plain", "") for fact in facts(doc)}
    story: list[Flowable] = [Paragraph(escape(sheet["title"]), st["title"])]
    story += [Paragraph(escape(plain[f]), st["patient"]) for f in sheet["main_message"]]
    parts = [(part["title"], part["facts"]) for part in sheet["sections"]] + [("Key points", sheet.get("key_points", []))]
    for number, (title, fact_ids) in enumerate(parts):
        story.append(heading(title, f"part-{number}", st["patient_h1"]))
        story += [Paragraph(escape(plain[f]), st["patient"], bulletText="•") for f in fact_ids]
    story += [Paragraph(escape(q), st["patient"], bulletText="•") for q in sheet.get("questions", [])]
    OutlinedDoc(str(out), pagesize=A4, invariant=1).build(story)


def build(path: Path, out_dir: Path, st: dict[str, ParagraphStyle]) -> list[Path]:
    doc = load(path)
    topic = doc["topic"]["id"]
    outs = [out_dir / f"{topic}-handout.pdf"]
    handout(doc, outs[0], st)
    for sheet in doc["patient_sheets"]:
        outs.append(out_dir / f"{topic}-patient-{sheet['id']}.pdf")
        patient_sheet(doc, sheet, outs[-1], st)
    return outs


def styles() -> dict[str, ParagraphStyle]:
    names = {face: FAMILY if face == "regular" else f"{FAMILY} {face}" for face in FACES}
    for face, file in FACES.items():
        pdfmetrics.registerFont(TTFont(names[face], str(file)))
    pdfmetrics.registerFontFamily(FAMILY, normal=names["regular"], bold=names["bold"], italic=names["italic"],
                                  boldItalic=names["bold italic"])
    body = ParagraphStyle("body", fontName=FAMILY, fontSize=10.5, leading=14, spaceAfter=5)
    patient = ParagraphStyle("patient", parent=body, fontSize=12, leading=15.6, leftIndent=12, spaceAfter=3.6)
    return {
        "body": body,
        "fact": ParagraphStyle("fact", parent=body, leftIndent=12),
        "title": ParagraphStyle("title", parent=body, fontName=f"{FAMILY} bold", fontSize=22, leading=26),
        "h1": ParagraphStyle("h1", parent=body, fontName=f"{FAMILY} bold", fontSize=15, leading=18, keepWithNext=1),
        "reference": ParagraphStyle("reference", parent=body, fontSize=9, leading=11.5, spaceAfter=3),
        "patient": patient,
        "patient_h1": ParagraphStyle("patient_h1", parent=patient, fontName=f"{FAMILY} bold", fontSize=18,
                                     leading=22, leftIndent=0, keepWithNext=1, spaceBefore=4 * mm),
    }


if __name__ == "__main__":
    chosen = styles()
    with output_folder() as out:
        for path in paths():
            build(path, out, chosen)
