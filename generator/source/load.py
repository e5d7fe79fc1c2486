"""Content file -> validated Content model; every problem in the file is collected first."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.source.content_format import CONTENT
from generator.source.errors import ContentError, Problem
from generator.source.model import Content
from generator.source.nodes import Context
from generator.source.yaml_source import compose, decode, read_bytes


def load_text(text: str, file: str) -> Content:
    """Validate `text` (named `file` in messages) into a Content, or raise ContentError with every problem."""
    root = compose(text, file)
    ctx = Context(file, source=text)
    content = CONTENT.read(ctx, root, "")
    if ctx.problems or content is None:
        raise ContentError(ctx.problems or [Problem(1, 1, file, "", "no content")], tuple(ctx.texts))
    return dataclasses.replace(content, file=file, texts=tuple(ctx.texts))


def load_bytes(data: bytes, file: str) -> Content:
    """Validate the bytes of a content file (named `file` in messages)."""
    return load_text(decode(data, file), file)


def load(path: Path) -> Content:
    """Read and validate one content file."""
    return load_bytes(read_bytes(path), str(path))
