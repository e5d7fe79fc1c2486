"""What the floor scripts share: reading the synthetic YAML with the C loader, its cards, citation numbers
and short source lines, and the project's four font files.

No project code is imported here or in any floor: a floor is the least work the raw libraries need to
print the same text (the floors print what the build prints, not how it lays it out: no text fitting,
no contents page numbers, no running heads, no note history).
The PDF floors use the ReportLab options the project uses: invariant=1 on every document, rl_config
left at its defaults (so useA85 stays on), and the rl_accel C extension, which ReportLab uses by
itself when it is installed (the project depends on reportlab[accel]).
"""

from __future__ import annotations

import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import yaml

# The project's own font files, found relative to this script (the files, not the project's code).
FONT = Path(__file__).resolve().parent.parent / "generator" / "fonts" / "DejaVuSans.ttf"
FACES = {"regular": FONT, "bold": FONT.with_name("DejaVuSans-Bold.ttf"),
         "italic": FONT.with_name("DejaVuSans-Oblique.ttf"), "bold italic": FONT.with_name("DejaVuSans-BoldOblique.ttf")}
STATUS_LABELS = {"approved": ("#1b6e3a", "✓ Approved"), "off-label": ("#8a4b00", "◆ Off-label"),
                 "investigational": ("#5b2c83", "▲ Investigational")}
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def load(path: str | Path) -> dict[str, Any]:
    """The whole file as plain Python data, with libyaml's C parser (the fastest PyYAML offers)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def paths() -> list[Path]:
    """The content files named on the command line (after `--out DIR`, if given)."""
    args = sys.argv[3:] if sys.argv[1:2] == ["--out"] else sys.argv[1:]
    if not args:
        sys.exit(f"usage: python {Path(sys.argv[0]).name} [--out DIR] CONTENT.yaml ...")
    return [Path(arg) for arg in args]


@contextmanager
def output_folder() -> Iterator[Path]:
    """Where a floor writes: `--out DIR` to keep the files (to compare them with the build's), else a
    temporary folder removed at the end."""
    if sys.argv[1:2] == ["--out"]:
        yield Path(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def facts(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for section in doc["sections"]:
        yield from section["facts"]


def cards(doc: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(card id, front, back) for every card; a cloze card shows blanks in front and the words on the back."""
    for _, _, card_id, front, back in section_cards(doc):
        yield card_id, front, back


def section_cards(doc: dict[str, Any]) -> Iterator[tuple[dict, dict, str, str, str]]:
    """(section, fact, card id, front, back) for every card, in file order."""
    for section in doc["sections"]:
        for fact in section["facts"]:
            for card in fact.get("cards", ()):
                if "cloze" in card:
                    text = card["cloze"]
                    front, back = _CLOZE.sub(lambda m: f"[{m.group(2) or '...'}]", text), _CLOZE.sub(r"\1", text)
                else:
                    front, back = str(card["question"]), str(card["answer"])
                yield section, fact, card["id"], front, back


def numbers(doc: dict[str, Any]) -> dict[str, int]:
    """Each reference's citation number: its place in the list."""
    return {ref["id"]: number for number, ref in enumerate(doc["references"], start=1)}


def credit(ref: dict[str, Any]) -> str:
    """'Smith AB, Jones CD, Lee EF, et al.' or the publisher."""
    who = ref.get("authors") or [ref.get("publisher", "")]
    return ", ".join(who[:3]) + (", et al." if len(who) > 3 else "")


def short_source(doc_numbers: dict[str, int], refs: dict[str, dict], fact: dict[str, Any]) -> str:
    """'[3, 7] Smith AB, 2020 +1': the citation numbers and the first source, as a card back prints them."""
    first = refs[min(fact["sources"], key=doc_numbers.__getitem__)]
    cited = ", ".join(str(n) for n in sorted(doc_numbers[s] for s in fact["sources"]))
    more = f" +{len(fact['sources']) - 1}" if len(fact["sources"]) > 1 else ""
    return f"[{cited}] {credit(first).split(',')[0]}, {first['year']}{more}"
