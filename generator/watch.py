"""`factpack build --watch`: rebuild when a content file changes, using the watchfiles library
(OS file events, no polling loop of our own)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Mapping, TextIO

from watchfiles import watch as file_events

from generator import commands
from generator.errors import ContentError, UsageError
from generator.options import PrintOptions


def _build_once(paths: list[Path], out: Path, env: Mapping[str, str], options: PrintOptions,
                only: tuple[str, ...], stdout: TextIO, stderr: TextIO) -> None:
    try:
        commands.build(paths, out, env, options, only, stdout)
    except ContentError as exc:
        commands.report(exc, "build", stderr)
    except UsageError as exc:
        print(f"factpack: error: {exc}", file=stderr)
    except Exception as exc:  # keep watching: the next save may fix it
        print(f"factpack: internal error: {type(exc).__name__}: {exc}; still watching", file=stderr)


def watch(paths: list[Path], out: Path, env: Mapping[str, str], options: PrintOptions, only: tuple[str, ...],
          stdout: TextIO, stderr: TextIO) -> int:
    """Build now, then again after every change; a broken edit prints its errors and keeps watching."""
    _build_once(paths, out, env, options, only, stdout, stderr)
    watched = {path.resolve() for path in paths}
    ready = False
    # yield_on_timeout: the first (empty) yield tells us the watcher is running, so "watching" is true when printed
    for changes in file_events(*{path.parent for path in watched}, yield_on_timeout=True, rust_timeout=300):
        if not ready:
            print(f"watching {', '.join(str(p) for p in paths)} for changes (Ctrl-C to stop)", file=stdout, flush=True)
            ready = True
        changed = sorted({Path(name).resolve() for _, name in changes} & watched)
        if not changed:
            continue
        print(f"changed: {', '.join(str(p) for p in changed)}", file=stdout)
        started = time.perf_counter()
        _build_once(paths, out, env, options, only, stdout, stderr)
        print(f"rebuilt in {time.perf_counter() - started:.2f} s; watching", file=stdout, flush=True)
    return 0
