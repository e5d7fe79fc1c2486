"""Every output factpack writes, listed once: its name (for --only), its file name and its renderer.

Each renderer module has the same contract, `render(content: Content, options: Options) -> bytes`,
and raises only ContentError (content that cannot be laid out, such as a patient sheet longer than
one sheet). Adding an output is one new module and one line in OUTPUTS.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from importlib import import_module

from generator.note_history import History
from generator.source.model import Content

PAPERS = ("a4", "letter")
CARD_SIZES = ("grid", "index", "a7")  # grid: 2 x 4 filling the sheet; index: 3 x 5 in; a7: 74 x 105 mm
DUPLEX_MODES = ("long-edge", "short-edge", "none")
DECK_LAYOUTS = ("sections", "single")  # one subdeck per section, or every card in the topic's deck (tags remain)


@dataclass(frozen=True)
class Options:
    """How to render: the content's time (document dates), the print choices, and for the deck what it
    shipped before (the note history of the lock) and the time a changed note gets."""

    timestamp: int = 0
    paper: str = "a4"
    card_size: str = "grid"
    duplex: str = "long-edge"
    decks: str = "sections"
    history: History = field(default_factory=History)
    now: int = 0  # SOURCE_DATE_EPOCH or the build's clock; 0: the content's time
    sheet: str = ""  # for an output made once per patient sheet: that sheet's id ("": the first)


@dataclass(frozen=True)
class Output:
    name: str
    file_name: str  # `{id}` stands for the topic id, `{sheet}` for a patient sheet's id (one file per sheet);
    # file names are part of our promise to users
    module: str  # imported only when this output is rendered: `--only anki` never loads ReportLab
    uses: tuple[str, ...]  # the options that change its bytes; others leave an up-to-date file alone

    def options_key(self, options: Options) -> str:
        values = (getattr(options, name) for name in self.uses)
        return ", ".join(f"{name}={getattr(value, 'digest', value)}" for name, value in zip(self.uses, values))

    def files(self, content: Content, options: Options) -> list[tuple[str, Options]]:
        """Each file this output makes from `content`, with the options it is rendered with: one file, or
        one per patient sheet when the file name holds `{sheet}`."""
        if "{sheet}" not in self.file_name:
            return [(self.file_name.format(id=content.topic.id), options)]
        return [(self.file_name.format(id=content.topic.id, sheet=sheet.id), dataclasses.replace(options, sheet=sheet.id))
                for sheet in content.patient_sheets]

    def render(self, content: Content, options: Options) -> bytes:
        return import_module(self.module).render(content, options)


PRINTED = ("timestamp", "paper")
OUTPUTS = (
    Output("handout", "{id}-handout.pdf", "generator.outputs.handout", PRINTED),
    Output("patient", "{id}-patient-{sheet}.pdf", "generator.outputs.patient", PRINTED),
    Output("cards", "{id}-cards.pdf", "generator.outputs.cards", (*PRINTED, "card_size", "duplex")),
    Output("anki", "{id}.apkg", "generator.outputs.anki", ("history", "decks")),
    Output("html", "{id}.html", "generator.outputs.html", ()),
)
BY_NAME = {output.name: output for output in OUTPUTS}
