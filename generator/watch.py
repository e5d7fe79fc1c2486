"""`factpack build --watch`: rebuild when a content file changes, using the watchfiles library
(OS file events, no polling loop of our own)."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Mapping, TextIO

from watchfiles import watch as file_events

from generator import commands, workers
from generator.outputs import BY_NAME, Options
from generator.source.errors import ContentError, UsageError, shown


class _Builder:
    """Builds into `out` with one pool of workers for every rebuild. Each worker loads the chosen outputs'
    renderers (and so their libraries) as it starts, so a rebuild loads nothing again; a pool whose
    worker died is replaced."""

    def __init__(self, paths: list[Path], out: Path, env: Mapping[str, str], options: Options,
                 only: tuple[str, ...], stdout: TextIO, stderr: TextIO) -> None:
        self.paths, self.out, self.env, self.options, self.only = paths, out, env, options, only
        self.stdout, self.stderr = stdout, stderr
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return workers.pool(workers.cores(), tuple(BY_NAME[name].module for name in self.only))

    def build(self) -> None:
        try:
            commands.build(self.paths, self.out, self.env, self.options, self.only, self.stdout, self.pool)
        except ContentError as exc:
            commands.report(exc, "build", self.stderr)
        except UsageError as exc:
            print(shown(f"factpack: error: {exc}"), file=self.stderr)
        except BrokenProcessPool as exc:
            print(f"factpack: internal error: a worker stopped ({exc}); still watching", file=self.stderr)
            self.pool = self._new_pool()
        except Exception as exc:  # keep watching: the next save may fix it
            print(shown(f"factpack: internal error: {type(exc).__name__}: {exc}; still watching"), file=self.stderr)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def watch(paths: list[Path], out: Path, env: Mapping[str, str], options: Options, only: tuple[str, ...],
          stdout: TextIO, stderr: TextIO) -> int:
    """Build now, then again after every change; a broken edit prints its errors and keeps watching."""
    builder = _Builder(paths, out, env, options, only, stdout, stderr)
    try:
        builder.build()
        watched = {path.resolve() for path in paths}
        ready = False
        # yield_on_timeout: the first (empty) yield tells us the watcher is running, so "watching" is true when printed
        for changes in file_events(*{path.parent for path in watched}, yield_on_timeout=True, rust_timeout=300):
            if not ready:
                print(shown(f"watching {', '.join(str(p) for p in paths)} for changes (Ctrl-C to stop)"), file=stdout,
                      flush=True)
                ready = True
            changed = sorted({Path(name).resolve() for _, name in changes} & watched)
            if not changed:
                continue
            print(shown(f"changed: {', '.join(str(p) for p in changed)}"), file=stdout)
            started = time.perf_counter()
            builder.build()
            print(f"rebuilt in {time.perf_counter() - started:.2f} s; watching", file=stdout, flush=True)
    finally:
        builder.close()
    return 0
