"""What the deck shipped before: the lock file kept beside the content (`TOPIC.lock.json`).

For each card id it records a hash of the note as rendered, the time it last changed, what it
shipped (so a card removed from the content can be shipped once more, marked retired) and when it
was retired. A build gives a note a new time only when its hash changes: Anki then updates exactly
the notes whose content changed and reports every other note unchanged, leaving the learner's own
edits, tags and review history on them alone. The lock also holds the note types' hash and time, so
their CSS is only pushed when it changed. Builds are byte-reproducible given the lock.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

FORMAT = 1


@dataclass(frozen=True)
class NoteRecord:
    hash: str
    mtime: int
    model: str  # "basic" or "cloze"
    fields: tuple[str, ...]  # as last shipped
    tags: tuple[str, ...]
    deck: str
    retired_on: str | None = None  # ISO date the card left the content
    retired_in: str | None = None  # the content version that retired it: later versions stop shipping it


@dataclass(frozen=True)
class History:
    notes: dict[str, NoteRecord] = field(default_factory=dict)  # card id -> record
    note_types: tuple[str, int] = ("", 0)  # hash and time of the note types as last shipped

    @cached_property
    def text(self) -> str:
        """The lock file's text (see to_json)."""
        return to_json(self)

    @cached_property
    def digest(self) -> str:
        """A short stand-in for the whole history, for the record of what made an output."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def lock_name(content_path: Path) -> str:
    return f"{content_path.stem}.lock.json"


def place(content_path: Path, out_dir: Path) -> tuple[Path, Path]:
    """Where a content file's lock is read from and written to: beside the content, to be committed with it;
    beside the outputs when the content's folder cannot be written (content shipped inside an installed
    package), starting from the lock shipped beside the content if there is one."""
    beside, outside = content_path.with_name(lock_name(content_path)), out_dir / lock_name(content_path)
    if os.access(content_path.parent, os.W_OK):
        return beside, beside
    return (outside if outside.exists() else beside), outside


def read(path: Path) -> History:
    """The history in `path`; an empty one if there is no lock (a first build) or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        notes = {card_id: NoteRecord(**{**record, "fields": tuple(record["fields"]), "tags": tuple(record["tags"])})
                 for card_id, record in data["notes"].items()}
        return History(notes, tuple(data["note_types"]))
    except (OSError, ValueError, KeyError, TypeError):
        return History()


def to_json(history: History) -> str:
    """The lock's text: sorted, one note a line, so a content change shows as a small diff."""
    notes = [f"  {json.dumps(card_id)}: {json.dumps(_plain(record), ensure_ascii=False, sort_keys=True)}"
             for card_id, record in sorted(history.notes.items())]
    return ("{\n" f'"format": {FORMAT},\n"note_types": {json.dumps(list(history.note_types))},\n"notes": {{\n'
            + ",\n".join(notes) + "\n}\n}\n")


def _plain(record: NoteRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _RECORD_FIELDS if getattr(record, name) is not None}


_RECORD_FIELDS = tuple(field.name for field in fields(NoteRecord))
