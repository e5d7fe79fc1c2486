"""Identities that Anki and readers rely on: fixed once shipped, derived from content ids only."""

from __future__ import annotations

import hashlib

# Chosen once (random 31-bit numbers); never change them, or Anki clones the note types.
BASIC_MODEL_ID = 1_607_392_319
CLOZE_MODEL_ID = 1_489_221_473


def note_guid(topic_id: str, card_id: str) -> str:
    """The note GUID: stable across wording edits and reordering, unique per topic and card."""
    import genanki  # here, not above: the PDF renderers use this module and need none of genanki's 24 ms

    return genanki.guid_for(topic_id, card_id)


def deck_id(deck_name: str) -> int:
    """A stable deck id from the deck's name (Anki matches decks by name; the id only needs to be stable)."""
    digest = hashlib.sha256(deck_name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") >> 1 | 1 << 30


def anchor(kind: str, item_id: str) -> str:
    """A PDF link and bookmark key; the same on every layout pass (derived from ids, not positions)."""
    return f"{kind}-{item_id}"
