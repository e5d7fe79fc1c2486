"""What the floor scripts share: reading the synthetic YAML with the C loader, and its cards as (front, back).

No project code is imported here or in any floor: a floor is the least work the raw libraries need.
The PDF floors use the ReportLab options the project uses: invariant=1 on every document, rl_config
left at its defaults (so useA85 stays on), and the rl_accel C extension, which ReportLab uses by
itself when it is installed (the project depends on reportlab[accel]).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Iterator

import yaml

# The project's own font file, found relative to this script (the file, not the project's code).
FONT = Path(__file__).resolve().parent.parent / "generator" / "fonts" / "DejaVuSans.ttf"
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def load(path: str | Path) -> dict[str, Any]:
    """The whole file as plain Python data, with libyaml's C parser (the fastest PyYAML offers)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def paths() -> list[Path]:
    """The content files named on the command line."""
    if len(sys.argv) < 2:
        sys.exit(f"usage: python {Path(sys.argv[0]).name} CONTENT.yaml ...")
    return [Path(arg) for arg in sys.argv[1:]]


def facts(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for section in doc["sections"]:
        yield from section["facts"]


def cards(doc: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(card id, front, back) for every card; a cloze card shows blanks in front and the words on the back."""
    for fact in facts(doc):
        for card in fact.get("cards", ()):
            if "cloze" in card:
                text = card["cloze"]
                yield card["id"], _CLOZE.sub(lambda m: f"[{m.group(2) or '...'}]", text), _CLOZE.sub(r"\1", text)
            else:
                yield card["id"], str(card["question"]), str(card["answer"])
