"""Inline formatting in content text: `*italic*`, `**bold**`, `~sub~` (H~2~O), `^sup^` (10^6^).

A backslash makes the next `*`, `~`, `^` or `\\` a plain character. Markers follow emphasis conventions:
a run of markers opens when a non-space follows it and closes when a non-space precedes it, so
`5 * 3` and `a ~ b` are plain text. Kinds nest (`**bold *and italic***`), each kind at most once, and
a subscript and a superscript never hold each other or a space: nesting is at most four deep.

Read in one pass over the characters with a stack of at most four open markers (no regular
expression, nothing that backtracks). `parse` never fails: a marker that pairs with nothing is
plain text there, and `problem` says where and why, for the loader to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

MARKERS = "*~^"
ESCAPABLE = frozenset(MARKERS + "\\")
ITALIC, BOLD, SUB, SUP = "italic", "bold", "subscript", "superscript"
_WRITTEN = {ITALIC: "*", BOLD: "**", SUB: "~", SUP: "^"}
_LITERAL = {"*": "\\* for a literal asterisk", "~": "\\~ for a literal tilde", "^": "\\^ for a literal caret"}


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    italic: bool = False
    bold: bool = False
    sub: bool = False
    sup: bool = False

    @property
    def plain(self) -> bool:
        return not (self.italic or self.bold or self.sub or self.sup)


@dataclass(frozen=True)
class Problem:
    """Why a text's markers do not pair up: `offset` is the index in the text of the marker at fault."""

    offset: int
    message: str


@dataclass
class _Marker:
    """A run of markers in the text: where it stands, what it can do, and whether it found its pair."""

    start: int
    end: int
    kinds: tuple[str, ...]  # in opening order: '***' opens bold, then italic inside it
    can_open: bool
    can_close: bool
    opened: list[str] = field(default_factory=list)  # the kinds it opens that found their closer
    closed: list[str] = field(default_factory=list)  # the kinds it closes, innermost first


def _kinds(char: str, count: int) -> tuple[str, ...] | None:
    if char == "*":
        return {1: (ITALIC,), 2: (BOLD,), 3: (BOLD, ITALIC)}.get(count)
    return ((SUB if char == "~" else SUP),) if count == 1 else None


def _tokens(text: str, before_text: str = " ", after_text: str = " ") -> list[str | _Marker]:
    """The text as plain pieces (escapes resolved) and marker runs, in order; `before_text` and `after_text`
    are the characters around it where it is a stretch of a longer text (a cloze deletion's answer)."""
    tokens: list[str | _Marker] = []
    pending: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in ESCAPABLE:
            pending.append(text[i + 1])
            i += 2
            continue
        if char not in MARKERS:
            pending.append(char)
            i += 1
            continue
        end = i
        while end < n and text[end] == char:
            end += 1
        before = text[i - 1] if i else before_text
        after = text[end] if end < n else after_text
        if pending:
            tokens.append("".join(pending))
            pending = []
        kinds = _kinds(char, end - i) or ()
        tokens.append(_Marker(i, end, kinds, not after.isspace(), not before.isspace()))
        i = end
    if pending:
        tokens.append("".join(pending))
    return tokens


def _name(kind: str) -> str:
    return {SUB: "a subscript", SUP: "a superscript"}.get(kind, kind)


def _pair(text: str, tokens: list[str | _Marker]) -> Problem | None:
    """Pair markers (setting their roles); the first problem found, if any. Unpaired markers stay plain."""
    first: list[Problem] = []

    def report(offset: int, message: str) -> None:
        if not first:
            first.append(Problem(offset, message))

    stack: list[tuple[str, _Marker]] = []  # (kind, the marker that opened it), innermost last
    for token in tokens:
        if isinstance(token, str):
            if any(kind in (SUB, SUP) for kind, _ in stack) and any(c.isspace() for c in token):
                for kind, marker in [(k, m) for k, m in stack if k in (SUB, SUP)]:
                    report(marker.start, f"'{_WRITTEN[kind]}' opens {_name(kind)} that reaches a space; "
                                         f"{_name(kind)} holds no spaces (write H~2~O or 10^6^), or write "
                                         f"{_LITERAL[_WRITTEN[kind][0]]}")
                    stack.remove((kind, marker))
            continue
        _place(text, token, stack, report)
    for kind, marker in stack:
        report(marker.start, f"'{_WRITTEN[kind]}' opens {_name(kind)} that never closes; write "
                             f"{_LITERAL[_WRITTEN[kind][0]]}")
    return first[0] if first else None


def _place(text: str, marker: _Marker, stack: list[tuple[str, _Marker]], report) -> None:
    """Close what `marker` closes, or open what it opens, or report why it can do neither."""
    written = text[marker.start:marker.end]
    literal = _LITERAL[written[0]]
    if not marker.kinds:
        if marker.can_open or marker.can_close:
            meaning = "one '*' is italic, two bold" if written[0] == "*" else "a marker is a single character"
            report(marker.start, f"'{written}' is not formatting ({meaning}); write {literal}")
        return
    if not (marker.can_open or marker.can_close):
        return  # '5 * 3', 'a ~ b': spaces on both sides, plain text
    wanted = set(marker.kinds)
    open_kinds = [kind for kind, _ in stack]
    if marker.can_close and wanted & set(open_kinds):
        top = set(open_kinds[-len(wanted):]) if len(open_kinds) >= len(wanted) else set()
        if top == wanted:
            for _ in wanted:
                kind, opener = stack.pop()
                opener.opened.append(kind)
                marker.closed.append(kind)
            return
        inner = [kind for kind in reversed(open_kinds) if kind not in wanted][:1]
        why = (f" while {_name(inner[0])}, opened inside it, is still open; close the inner one first, or" if inner
               else f", but only {' and '.join(map(_name, wanted & set(open_kinds)))} is open;")
        report(marker.start, f"'{written}' closes {' and '.join(map(_name, marker.kinds))}{why} write {literal}")
        return
    if not marker.can_open:
        report(marker.start, f"'{written}' closes {' and '.join(map(_name, marker.kinds))} that was never opened; "
                             f"write {literal}")
        return
    for kind in marker.kinds:
        clash = kind if kind in open_kinds else {SUB: SUP, SUP: SUB}.get(kind)
        if clash in open_kinds:
            report(marker.start, f"'{written}' opens {_name(kind)} inside {_name(clash)}; write {literal}")
            return
    stack.extend((kind, marker) for kind in marker.kinds)


@lru_cache(maxsize=4096)
def _read(text: str, before: str = " ", after: str = " ") -> tuple[tuple[Run, ...], Problem | None]:
    if ESCAPABLE.isdisjoint(text):  # most text holds no marker and no backslash: one plain run
        return ((Run(text, False, False, False, False),) if text else ()), None
    tokens = _tokens(text, before, after)
    problem = _pair(text, tokens) if any(isinstance(t, _Marker) for t in tokens) else None
    runs: list[Run] = []
    active: list[str] = []
    for token in tokens:
        if isinstance(token, str):
            _append(runs, token, active)
            continue
        for kind in token.closed:
            active.remove(kind)
        used = sum(len(_WRITTEN[kind]) for kind in token.closed + token.opened)
        if used < token.end - token.start:  # unpaired markers print as written
            _append(runs, text[token.start:token.end - used], active)
        active.extend(kind for kind in token.kinds if kind in token.opened)
    return tuple(runs), problem


def _append(runs: list[Run], piece: str, active: list[str]) -> None:
    style = Run(piece, ITALIC in active, BOLD in active, SUB in active, SUP in active)
    if runs and (runs[-1].italic, runs[-1].bold, runs[-1].sub, runs[-1].sup) == (
            style.italic, style.bold, style.sub, style.sup):
        runs[-1] = Run(runs[-1].text + piece, style.italic, style.bold, style.sub, style.sup)
    else:
        runs.append(style)


def parse(text: str) -> tuple[Run, ...]:
    """The text as runs of one style each; never fails (markers that pair with nothing are text)."""
    return _read(text)[0]


def problem(text: str, before: str = " ", after: str = " ") -> Problem | None:
    """The first marker in `text` that does not pair up, or None; `before` and `after` are the characters
    around `text` when it is a stretch of a longer text, so that a mark beside the stretch's edge counts as
    touching a word (and is refused if it then pairs with nothing)."""
    return _read(text, before, after)[1]


def plain(text: str) -> str:
    """The text as readers see it, without markers or escapes."""
    return "".join(run.text for run in parse(text))


def formatted(text: str) -> bool:
    """Whether any part of `text` is italic, bold, subscript or superscript."""
    return any(not run.plain for run in parse(text))


def first_marker(text: str) -> int | None:
    """Where the first marker that formats something stands in `text`, or None."""
    tokens = _tokens(text)
    _pair(text, tokens)
    return next((token.start for token in tokens if isinstance(token, _Marker) and token.opened), None)


def escape(text: str) -> str:
    """`text` written so that it reads back as exactly itself: every marker and backslash escaped."""
    return "".join("\\" + char if char in ESCAPABLE else char for char in text)
