"""What each `factpack` command does, given parsed options; output goes to the streams passed in."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path
from typing import Mapping, TextIO

from concurrent.futures import Executor

from generator import build as builder, note_history
from generator.build import default_sources, load_all
from generator.outputs import Options
from generator.source.errors import ContentError, UsageError, shown
from generator.source.model import BasicCard, Content, Status
from generator.staging import write_atomically


def sources(given: list[Path]) -> list[Path]:
    found = given or default_sources(Path("."))
    if not found:
        raise UsageError("no content files given and none found in content/")
    return found


def report(exc: ContentError, command: str, stderr: TextIO) -> None:
    """Every problem in line order, then the count."""
    for problem in exc.problems:
        print(problem, file=stderr)
    count = len(exc.problems)
    verb = "nothing written" if command == "build" else "content is not valid"
    if isinstance(exc, builder.NotBuilt):
        verb = f"not written: {', '.join(exc.missing)} (the other outputs were written)"
    print(shown(f"{count} error{'s' * (count != 1)}; {verb}"), file=stderr)


def _size(size: int) -> str:
    return f"{size / 1024:,.1f} KiB" if size >= 1024 else f"{size} bytes"


def summary(content: Content) -> str:
    facts = sum(1 for _ in content.facts())
    cards = sum(1 for _ in content.cards())
    return f"{len(content.sections)} sections, {facts} facts, {cards} cards, {len(content.references)} references"


def build(paths: list[Path], out: Path, env: Mapping[str, str], options: Options, only: tuple[str, ...],
          stdout: TextIO, pool: Executor | None = None) -> None:
    started = time.perf_counter()
    try:
        built = builder.build(paths, out, env, options, only, pool)
    except builder.NotBuilt as exc:
        _print_built(exc.built, out, started, stdout)
        raise
    _print_built(built, out, started, stdout)


def _print_built(built: builder.Built, out: Path, started: float, stdout: TextIO) -> None:
    for item in built.written:
        print(shown(f"wrote {item.path} ({_size(item.size)})"), file=stdout)
    for path in built.unchanged:
        print(shown(f"unchanged {path}"), file=stdout)
    for note in built.notes:
        print(shown(note), file=stdout)
    elapsed = time.perf_counter() - started
    files = f"{built.sources} content file{'s' * (built.sources != 1)}"
    outputs = f"{len(built.written)} file{'s' * (len(built.written) != 1)}"
    kept = f" ({len(built.unchanged)} unchanged)" if built.unchanged else ""
    print(shown(f"built {outputs}{kept} from {files} into {out}/ in {elapsed:.2f} s"), file=stdout)


def check(paths: list[Path], today: dt.date, stdout: TextIO, stderr: TextIO) -> int:
    """Validate and lint; print the warnings and return how many there were."""
    from generator.authoring.lint import layout_errors, lint  # only `check` needs them here

    contents = load_all(paths)
    errors = [problem for content in contents for problem in layout_errors(content)]
    lints = [lint(content, today, _history(Path(content.file))) for content in contents]
    if errors:
        raise ContentError(errors)
    warnings = []
    for content, found in zip(contents, lints):
        warnings += found
        for warning in found:
            print(warning, file=stderr)
        note = f"; {len(found)} warning{'s' * (len(found) != 1)}" if found else ""
        print(shown(f"ok: {content.file} ({summary(content)}){note}"), file=stdout)
    return len(warnings)


def _history(content_path: Path) -> note_history.History:
    """The note history a deck of this content would be built with (the lock beside it, if any)."""
    return note_history.read(content_path.with_name(note_history.lock_name(content_path)))


def stats(paths: list[Path], stdout: TextIO) -> None:
    for content in load_all(paths):
        cards = [card for _, _, card in content.cards()]
        basic = [c for c in cards if isinstance(c, BasicCard)]
        statuses = Counter(fact.status for _, fact in content.facts())
        by_status = ", ".join(f"{s.value} {statuses[s]}" for s in Status)
        rows = [
            ("sections", len(content.sections), ""),
            ("facts", sum(statuses.values()), by_status),
            ("cards", len(cards), f"question/answer {len(basic)} ({sum(c.reverse for c in basic)} with reverse), "
                                  f"cloze {len(cards) - len(basic)}"),
            ("references", len(content.references), ""),
        ]
        print(shown(f"{content.topic.id} ({content.file})"), file=stdout)
        for name, count, detail in rows:
            print(f"  {name:<11}{count:>5}" + (f"  ({detail})" if detail else ""), file=stdout)


def new(topic_id: str, title: str | None, folder: Path, today: dt.date, stdout: TextIO) -> None:
    """Write a starter content file (never over an existing one) and the schema beside it."""
    from generator.authoring.template import starter  # the authoring commands' modules load only for them
    from generator.source.json_schema import SCHEMA_FILE, schema_text
    from generator.source.specs import SLUG

    if not re.fullmatch(SLUG.strip("^$"), topic_id):
        raise UsageError(f"'{topic_id}' is not a valid topic id: use lowercase letters, digits and hyphens")
    target = folder / f"{topic_id}.yaml"
    if target.exists():
        raise UsageError(f"{target} already exists; choose another id or edit that file")
    title = " ".join((title or topic_id.replace("-", " ").capitalize()).split())
    if not title:
        raise UsageError("--title must not be empty")
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError("--title holds bytes that are not UTF-8 text") from None
    text = starter(topic_id, title, today)
    problems = builder.load_checked(target, text.encode("utf-8"))[1]
    if problems:  # the title is the only thing the starter takes from outside: it is what check would refuse
        raise UsageError(f"--title cannot be used: {problems[0].message}")
    files = {target.name: text.encode("utf-8"), SCHEMA_FILE: schema_text().encode("utf-8")}
    for item in write_atomically(files, folder):
        print(shown(f"wrote {item.path} ({_size(item.size)})"), file=stdout)
    print(shown(f"next: edit {target}, then run: factpack build {target}"), file=stdout)


def schema(out: Path | None, stdout: TextIO) -> None:
    from generator.source.json_schema import schema_text

    text = schema_text()
    if out is None:
        stdout.write(text)
        return
    write_atomically({out.name: text.encode("utf-8")}, out.parent)
    print(shown(f"wrote {out} ({_size(len(text.encode('utf-8')))})"), file=stdout)
