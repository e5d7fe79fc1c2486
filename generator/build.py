"""Load every content file, render every output in memory, then write them all atomically."""

from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator, Mapping

from generator import fonts, render_anki, render_cards, render_handout, render_patient
from generator.errors import ContentError, UsageError
from generator.load import load
from generator.model import Content
from generator.options import PrintOptions

Renderer = Callable[[Content, int, PrintOptions], bytes]

# Output name (for --only) -> (file name pattern, renderer). File names are part of our promise to users.
OUTPUTS: dict[str, tuple[str, Renderer]] = {
    "handout": ("{id}-handout.pdf", lambda c, timestamp, options: render_handout.render(c, timestamp, options.paper)),
    "patient": ("{id}-patient.pdf", lambda c, timestamp, options: render_patient.render(c, timestamp, options.paper)),
    "cards": ("{id}-cards.pdf", render_cards.render),
    "anki": ("{id}.apkg", lambda c, timestamp, options: render_anki.render(c, timestamp)),
}
COSTLIEST_FIRST = ("handout", "cards", "anki", "patient")  # parallel rendering starts the long jobs first


@dataclass(frozen=True)
class Written:
    path: Path
    size: int


def default_sources(cwd: Path) -> list[Path]:
    """`content/*.yaml` below `cwd` when there is any, else the content shipped inside the package."""
    local = sorted((cwd / "content").glob("*.yaml"))
    if local:
        return local
    shipped = resources.files("generator").joinpath("content")
    return sorted(Path(str(entry)) for entry in shipped.iterdir() if entry.name.endswith(".yaml"))


def load_all(paths: list[Path]) -> list[Content]:
    """Validate every file (all problems of all files together) and check that fonts can print them."""
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give content files (CONTENT.yaml)")
        if not path.is_file():
            raise UsageError(f"no such content file: {path}")
    problems, loaded = [], []
    for path in _unique(paths):
        try:
            content = load(path)
            problems += fonts.unprintable_fields(content.texts, content.file)
            loaded.append(content)
        except ContentError as exc:
            problems += exc.problems + fonts.unprintable_fields(exc.texts, str(path))
    if problems:
        raise ContentError(problems)
    seen: dict[str, str] = {}
    for content in loaded:
        if content.topic.id in seen:
            raise UsageError(f"{content.file} and {seen[content.topic.id]} share the topic id "
                             f"'{content.topic.id}'; their outputs would overwrite each other")
        seen[content.topic.id] = content.file
    return loaded


def _unique(paths: list[Path]) -> list[Path]:
    """The paths with repeats of the same file left out (given twice, or by two names)."""
    seen: set[Path] = set()
    return [p for p in paths if not (p.resolve() in seen or seen.add(p.resolve()))]


def content_timestamp(content: Content, env: Mapping[str, str]) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds); else the content file's modification time,
    which grows whenever the content is edited, so Anki sees an edited deck as newer."""
    value = env.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{value}'")
        return int(value)
    return int(os.stat(content.file).st_mtime)


Job = tuple[str, Content, int, PrintOptions]


def _render(job: Job) -> bytes:
    name, content, timestamp, options = job
    return OUTPUTS[name][1](content, timestamp, options)


def _workers(jobs: int) -> int:
    """Processes to render with: one per core, only where fork is available (renderers are independent)."""
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(jobs, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _run(jobs: list[Job]) -> Iterator[bytes]:
    workers = _workers(len(jobs))
    if workers == 1:
        return map(_render, jobs)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return iter(list(pool.map(_render, jobs)))


def render_all(contents: list[Content], env: Mapping[str, str], options: PrintOptions,
               only: tuple[str, ...] = tuple(OUTPUTS)) -> dict[str, bytes]:
    """The chosen outputs of every topic, by file name, rendered in memory (on every core) before anything
    is written."""
    jobs = [(name, content, content_timestamp(content, env), options)
            for name in sorted(only, key=COSTLIEST_FIRST.index) for content in contents]
    rendered = dict(zip(((name, content.topic.id) for name, content, _, _ in jobs), _run(jobs)))
    return {OUTPUTS[name][0].format(id=content.topic.id): rendered[name, content.topic.id]
            for content in contents for name in OUTPUTS if name in only}


def write_atomically(files: dict[str, bytes], out_dir: Path) -> list[Written]:
    """Write every file to a temporary name in `out_dir`, then rename all into place.
    Any failure before the renames (full disk, Ctrl-C) removes the temporaries and leaves old outputs as they were."""
    staged: list[tuple[str, Path]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        mode = 0o666 & ~_umask()
        for name, data in files.items():
            handle, temp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            staged.append((name, Path(temp)))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, mode)
        for name, _ in staged:
            if (out_dir / name).is_dir():
                raise UsageError(f"{out_dir / name} is a folder; move it away. Earlier outputs are unchanged")
        written = []
        for name, temp in staged:
            os.replace(temp, out_dir / name)
            written.append(Written(out_dir / name, len(files[name])))
        return written
    except OSError as exc:
        raise UsageError(f"cannot write to {out_dir}: {exc.strerror or exc}; earlier outputs are unchanged") from exc
    finally:
        for _, temp in staged:
            temp.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def build(paths: list[Path], out_dir: Path, env: Mapping[str, str], options: PrintOptions = PrintOptions(),
          only: tuple[str, ...] = tuple(OUTPUTS)) -> list[Written]:
    """Validate, render, write: nothing is written unless everything validated and rendered."""
    gc.disable()  # the model and the renderers' objects live until the end: cyclic collection is pure cost here
    try:
        contents = load_all(paths)
        files = render_all(contents, env, options, only)
    finally:
        gc.enable()
    return write_atomically(files, out_dir)
