"""Errors the user can act on: content problems with a position, and usage mistakes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, at a 1-based line and column."""

    line: int
    column: int
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return shown(f"{self.file}:{self.line}:{self.column}: {where}{self.message}")


class ContentError(Exception):
    """A content file (or several) cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem], texts: tuple = ()) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path))
        self.texts = texts  # the text fields read before giving up, so later checks can still run on them
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple]:
        """Pickle by problems, so an error raised while rendering in another process arrives whole."""
        return ContentError, (self.problems, self.texts)


def shown(text: str) -> str:
    """`text` safe to print on a terminal: control, format and other unprintable characters (which could
    move the cursor, retitle the window or reverse the reading order) are written as escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


class UsageError(Exception):
    """The command line asks for something that cannot be done (exit code 2)."""
