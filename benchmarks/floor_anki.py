"""Floor: the .apkg alone, with genanki: the notes the build ships, into a temporary folder.

One note per card: a basic note type (Front, Back, AddReverse, Fact, Status, Sources, FactId, CardId; a
reverse template) and a cloze one (Text, Fact, Status, Sources, FactId, CardId), the fact's text and its
sources as HTML with their links on the back, three kinds of tags, one subdeck per section. No note history
(the lock), note times or media: those are the build's own work, and count against it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import genanki

from _common import credit, load, numbers, output_folder, paths

COMMON = ["Fact", "Status", "Sources", "FactId", "CardId"]
BACK = '<div class="fact">{{Fact}}</div><div class="status">{{Status}}</div><div class="sources">{{Sources}}</div>'
BASIC = genanki.Model(
    1_700_000_001, "floor basic", fields=[{"name": n} for n in ["Front", "Back", "AddReverse", *COMMON]],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}' + BACK},
               {"name": "Card 2", "qfmt": "{{#AddReverse}}{{Back}}{{/AddReverse}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Front}}' + BACK}],
)
CLOZE = genanki.Model(
    1_700_000_003, "floor cloze", fields=[{"name": n} for n in ["Text", *COMMON]],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}" + BACK}],
    model_type=genanki.Model.CLOZE,
)


def sources_html(fact: dict[str, Any], cited: dict[str, int], refs: dict[str, dict]) -> str:
    lines = []
    for ref_id in sorted(fact["sources"], key=cited.get):
        ref = refs[ref_id]
        links = [f'<a href="https://doi.org/{html.escape(ref["doi"])}">doi</a>'] if ref.get("doi") else []
        links += [f'<a href="https://pubmed.ncbi.nlm.nih.gov/{ref["pmid"]}/">PubMed</a>'] if ref.get("pmid") else []
        links.append(f'<a href="{html.escape(ref["url"], quote=True)}">link</a>')
        text = f"{credit(ref)}. {ref['title']}. {ref['published_in']}; {ref['year']}."
        lines.append(f"[{cited[ref_id]}] {html.escape(text)} {' · '.join(links)}")
    return "<br>".join(lines)


def build(path: Path, out_dir: Path) -> Path:
    doc = load(path)
    topic = doc["topic"]
    cited, refs = numbers(doc), {ref["id"]: ref for ref in doc["references"]}
    decks = []
    for number, section in enumerate(doc["sections"]):
        deck = genanki.Deck(1_700_000_100 + number, f"{topic['title']}::{section['title']}")
        decks.append(deck)
        for fact in section["facts"]:
            status = fact.get("status", "not-applicable")
            shared = [html.escape(fact["text"]), status, sources_html(fact, cited, refs), fact["id"]]
            tags = [f"{topic['id']}::section::{section['id']}", f"{topic['id']}::status::{status}",
                    *(f"{topic['id']}::tag::{tag}" for tag in fact.get("tags", ()))]
            for card in fact.get("cards", ()):
                if "cloze" in card:
                    model, own = CLOZE, [html.escape(card["cloze"])]
                else:
                    model, own = BASIC, [html.escape(str(card["question"])), html.escape(str(card["answer"])),
                                         "y" if card.get("reverse") else ""]
                deck.add_note(genanki.Note(model=model, fields=[*own, *shared, card["id"]], tags=tags,
                                           guid=genanki.guid_for(topic["id"], card["id"])))
    out = out_dir / f"{topic['id']}.apkg"
    genanki.Package(decks).write_to_file(str(out), timestamp=0)
    return out


if __name__ == "__main__":
    with output_folder() as out:
        for path in paths():
            build(path, out)
