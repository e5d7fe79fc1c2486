"""Command line: parse options, call the library, turn errors into messages and exit codes.

Exit codes: 0 done, 1 content errors, 2 usage or output-folder errors, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Sequence

from generator import __version__
from generator.build import build, default_sources, load_all
from generator.card_layout import CARD_SIZES, DUPLEX_MODES
from generator.errors import ContentError, UsageError
from generator.model import Content
from generator.options import PrintOptions


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factpack",
        description="Build a PDF handout and an Anki deck from a YAML file of sourced facts.",
    )
    parser.add_argument("--version", action="version", version=f"factpack {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build_cmd = commands.add_parser("build", help="validate content and write every output")
    build_cmd.add_argument("content", nargs="*", type=Path, metavar="CONTENT.yaml",
                           help="content files (default: every content/*.yaml, else the shipped content)")
    build_cmd.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                           help="where outputs are written (default: output/)")
    build_cmd.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    build_cmd.add_argument("--card-size", choices=tuple(CARD_SIZES), default="grid",
                           help="flashcard size: grid (2 x 4 filling the sheet), index (3 x 5 in), a7 (default: grid)")
    build_cmd.add_argument("--duplex", choices=DUPLEX_MODES, default="long-edge",
                           help="how the printer turns the sheet for the card backs (default: long-edge)")

    check_cmd = commands.add_parser("check", help="validate content; write nothing")
    check_cmd.add_argument("content", nargs="*", type=Path, metavar="CONTENT.yaml",
                           help="content files (default: as for build)")
    return parser


def _sources(given: list[Path]) -> list[Path]:
    sources = given or default_sources(Path.cwd())
    if not sources:
        raise UsageError("no content files given and none found in content/")
    return sources


def _size(size: int) -> str:
    return f"{size / 1024:,.1f} KiB" if size >= 1024 else f"{size} bytes"


def _summary(content: Content) -> str:
    cards = sum(1 for _ in content.cards())
    facts = sum(1 for _ in content.facts())
    return (f"{len(content.sections)} sections, {facts} facts, {cards} cards, "
            f"{len(content.references)} references")


def _run(args: argparse.Namespace) -> int:
    sources = _sources(args.content)
    if args.command == "check":
        for content in load_all(sources):
            print(f"ok: {content.file} ({_summary(content)})")
        return 0
    started = time.perf_counter()
    options = PrintOptions(paper=args.paper, card_size=args.card_size, duplex=args.duplex)
    written = build(sources, args.out, os.environ, options)
    for item in written:
        print(f"wrote {item.path} ({_size(item.size)})")
    elapsed = time.perf_counter() - started
    print(f"built {len(written)} files from {len(sources)} content file{'s' * (len(sources) != 1)} "
          f"into {args.out}/ in {elapsed:.2f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `factpack` and `python -m generator`."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        verb = "nothing written" if args.command == "build" else "content is not valid"
        print(f"{count} error{'s' * (count != 1)}; {verb}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"factpack: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("factpack: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # the last guard: never a traceback unless asked for
        if args.debug:
            traceback.print_exc()
        print(f"factpack: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return 3
