"""`factpack build --watch`: rebuild when a content file changes, using the watchfiles library
(OS file events, no polling loop of our own)."""

from __future__ import annotations

import time
from concurrent.futures import Executor
from pathlib import Path
from typing import Mapping, TextIO

from watchfiles import watch as file_events

from generator import commands, workers
from generator.outputs import Options
from generator.source.errors import ContentError, UsageError


def _build_once(paths: list[Path], out: Path, env: Mapping[str, str], options: Options,
                only: tuple[str, ...], stdout: TextIO, stderr: TextIO, pool: Executor) -> None:
    try:
        commands.build(paths, out, env, options, only, stdout, pool)
    except ContentError as exc:
        commands.report(exc, "build", stderr)
    except UsageError as exc:
        print(f"factpack: error: {exc}", file=stderr)
    except Exception as exc:  # keep watching: the next save may fix it
        print(f"factpack: internal error: {type(exc).__name__}: {exc}; still watching", file=stderr)


def watch(paths: list[Path], out: Path, env: Mapping[str, str], options: Options, only: tuple[str, ...],
          stdout: TextIO, stderr: TextIO) -> int:
    """Build now, then again after every change; a broken edit prints its errors and keeps watching.

    One pool of workers serves every rebuild, so the libraries they load are loaded once."""
    with workers.pool(workers.cores()) as pool:
        return _watch(paths, out, env, options, only, stdout, stderr, pool)


def _watch(paths: list[Path], out: Path, env: Mapping[str, str], options: Options, only: tuple[str, ...],
           stdout: TextIO, stderr: TextIO, pool: Executor) -> int:
    _build_once(paths, out, env, options, only, stdout, stderr, pool)
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
        _build_once(paths, out, env, options, only, stdout, stderr, pool)
        print(f"rebuilt in {time.perf_counter() - started:.2f} s; watching", file=stdout, flush=True)
    return 0
