"""Command line: parse options, call a command, turn errors into messages and exit codes.

Exit codes: 0 done, 1 content errors (or warnings with --strict), 2 usage or output-folder errors,
3 internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Sequence

from generator import __version__, commands
from generator.outputs import BY_NAME as OUTPUTS, CARD_SIZES, DECK_LAYOUTS, DUPLEX_MODES, PAPERS, Options
from generator.source.errors import ContentError, UsageError, shown


def _outputs(value: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in OUTPUTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(OUTPUTS)} (comma-separated), not {value!r}")
    return tuple(name for name in OUTPUTS if name in names)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factpack",
        description="Build a PDF handout, a patient sheet, flashcard sheets and an Anki deck from a YAML file "
                    "of sourced facts.",
    )
    parser.add_argument("--version", action="version", version=f"factpack {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    commands_ = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    content_help = "content files (default: every content/*.yaml, else the shipped content)"

    build = commands_.add_parser("build", help="validate content and write the outputs")
    build.add_argument("content", nargs="*", type=Path, metavar="CONTENT.yaml", help=content_help)
    build.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                       help="where outputs are written (default: output/)")
    build.add_argument("--only", type=_outputs, default=tuple(OUTPUTS), metavar="LIST",
                       help=f"build only these outputs: {','.join(OUTPUTS)} (default: all)")
    build.add_argument("--paper", choices=PAPERS, default="a4", help="paper size (default: a4)")
    build.add_argument("--card-size", choices=CARD_SIZES, default="grid",
                       help="flashcard size: grid (2 x 4 filling the sheet), index (3 x 5 in), a7 (default: grid)")
    build.add_argument("--duplex", choices=DUPLEX_MODES, default="long-edge",
                       help="how the printer turns the sheet for the card backs (default: long-edge)")
    build.add_argument("--decks", choices=DECK_LAYOUTS, default="sections",
                       help="Anki deck layout: a subdeck per section, or one deck for the topic (default: sections)")
    build.add_argument("--watch", action="store_true", help="rebuild whenever a content file changes")

    check = commands_.add_parser("check", help="validate and lint content; write nothing")
    check.add_argument("content", nargs="*", type=Path, metavar="CONTENT.yaml", help=content_help)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    stats = commands_.add_parser("stats", help="count sections, facts, cards and references per topic")
    stats.add_argument("content", nargs="*", type=Path, metavar="CONTENT.yaml", help=content_help)

    new = commands_.add_parser("new", help="start a new topic: write content/TOPIC-ID.yaml")
    new.add_argument("topic_id", metavar="TOPIC-ID", help="lowercase letters, digits and hyphens")
    new.add_argument("--title", help="the topic's title (default: from the id)")
    new.add_argument("--dir", type=Path, default=Path("content"), help="where to write it (default: content/)")

    schema = commands_.add_parser("schema", help="print (or write) the JSON Schema of the content format")
    schema.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of printing")
    return parser


def _run(args: argparse.Namespace) -> int:
    today = dt.date.today()
    if args.command == "build":
        options = Options(paper=args.paper, card_size=args.card_size, duplex=args.duplex, decks=args.decks)
        paths = commands.sources(args.content)
        if args.watch:
            from generator.watch import watch  # loaded only when asked: it imports the file watcher

            return watch(paths, args.out, os.environ, options, args.only, sys.stdout, sys.stderr)
        commands.build(paths, args.out, os.environ, options, args.only, sys.stdout)
    elif args.command == "check":
        warnings = commands.check(commands.sources(args.content), today, sys.stdout, sys.stderr)
        if warnings and args.strict:
            print(f"{warnings} warning{'s' * (warnings != 1)}; --strict makes them errors", file=sys.stderr)
            return 1
    elif args.command == "stats":
        commands.stats(commands.sources(args.content), sys.stdout)
    elif args.command == "new":
        commands.new(args.topic_id, args.title, args.dir, today, sys.stdout)
    elif args.command == "schema":
        commands.schema(args.output, sys.stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `factpack` and `python -m generator`."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ContentError as exc:
        commands.report(exc, args.command, sys.stderr)
        return 1
    except UsageError as exc:
        print(f"factpack: error: {shown(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:  # the machine's part: a file that cannot be read or written, a full disk or stream
        print(f"factpack: error: {shown(_described(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("factpack: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # the last guard: never a traceback unless asked for
        if args.debug:
            traceback.print_exc()
        print(f"factpack: internal error: {type(exc).__name__}: {shown(str(exc))} (run with --debug for details)",
              file=sys.stderr)
        return 3


def _described(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def run() -> None:
    """The console script and `python -m generator`: `timeout`, a cancelled CI job or a closed terminal
    stop a build as Ctrl-C does, so its temporaries are removed and its workers are stopped."""
    for name in ("SIGTERM", "SIGHUP"):  # SIGHUP does not exist on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a title's characters gets escapes
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    code = main()
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:  # a closed pipe (`factpack ... | head`) or a full device: say so once, quietly at exit
        if not isinstance(exc, BrokenPipeError):
            print(f"factpack: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
            code = code or 2
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
