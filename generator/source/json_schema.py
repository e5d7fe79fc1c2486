"""The JSON Schema of the content format, generated from the same specs the loader reads with."""

from __future__ import annotations

import json
from typing import Any

from generator.source.content_format import CONTENT

SCHEMA_FILE = "factpack.schema.json"  # written beside content files; their first line points at it
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"


def content_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://factpack.invalid/schema/content-format-1.json",
        "description": "A factpack content file: one topic, its references, sections of sourced facts and their "
                       "cards. See docs/content-format.md.",
        **CONTENT.schema(),
    }


def schema_text() -> str:
    """The schema as the file `factpack schema` writes: stable key order, UTF-8, trailing newline."""
    return json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"
