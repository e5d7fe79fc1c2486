"""Load, render and write every output: on every core, with no output replaced unless all of it succeeded."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from generator import processes, schedule
from generator.errors import ContentError, Problem, UsageError
from generator.load import load
from generator.model import Content
from generator.options import PrintOptions
from generator.staging import Stage, Staged, Written

Renderer = Callable[[Content, int, PrintOptions], bytes]


# Renderers import their libraries (ReportLab, genanki) when first called: in the process that renders,
# after the fork, so that the processes import them side by side and `check` or `--help` never does.
def _handout(content: Content, timestamp: int, options: PrintOptions) -> bytes:
    from generator import render_handout
    return render_handout.render(content, timestamp, options.paper)


def _patient(content: Content, timestamp: int, options: PrintOptions) -> bytes:
    from generator import render_patient
    return render_patient.render(content, timestamp, options.paper)


def _cards(content: Content, timestamp: int, options: PrintOptions) -> bytes:
    from generator import render_cards
    return render_cards.render(content, timestamp, options)


def _anki(content: Content, timestamp: int, options: PrintOptions) -> bytes:
    from generator import render_anki
    return render_anki.render(content, timestamp)


# Output name (for --only) -> (file name pattern, renderer). File names are part of our promise to users.
OUTPUTS: dict[str, tuple[str, Renderer]] = {
    "handout": ("{id}-handout.pdf", _handout),
    "patient": ("{id}-patient.pdf", _patient),
    "cards": ("{id}-cards.pdf", _cards),
    "anki": ("{id}.apkg", _anki),
}


def default_sources(cwd: Path) -> list[Path]:
    """`content/*.yaml` below `cwd` when there is any, else the content shipped inside the package."""
    local = sorted((cwd / "content").glob("*.yaml"))
    if local:
        return local
    from importlib import resources  # only here: it costs a build's start-up 7 ms

    shipped = resources.files("generator").joinpath("content")
    return sorted(Path(str(entry)) for entry in shipped.iterdir() if entry.name.endswith(".yaml"))


def load_all(paths: list[Path]) -> list[Content]:
    """Validate every file (all problems of all files together) and check that fonts can print them."""
    paths = checked_paths(paths)
    loaded = {path: load_checked(path) for path in paths}
    problems = [problem for _, found in loaded.values() for problem in found]
    if problems:
        raise ContentError(problems)
    contents = [content for content, _ in loaded.values() if content is not None]
    _check_topics((content.topic.id, content.file) for content in contents)
    return contents


def checked_paths(paths: list[Path]) -> list[Path]:
    """The content files, each once; a folder or a missing file is a usage error."""
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give content files (CONTENT.yaml)")
        if not path.is_file():
            raise UsageError(f"no such content file: {path}")
    return _unique(paths)


def load_checked(path: Path) -> tuple[Content | None, list[Problem]]:
    """One file's content and its problems, including text the embedded fonts cannot print."""
    from generator import fonts  # imports ReportLab's font code: after the fork, like the renderers

    try:
        content = load(path)
        return content, fonts.unprintable_fields(content.texts, content.file)
    except ContentError as exc:
        return None, exc.problems + fonts.unprintable_fields(exc.texts, str(path))


def _check_topics(topics: Iterable[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for topic_id, file in topics:
        if topic_id in seen:
            raise UsageError(f"{file} and {seen[topic_id]} share the topic id "
                             f"'{topic_id}'; their outputs would overwrite each other")
        seen[topic_id] = file


def _unique(paths: list[Path]) -> list[Path]:
    """The paths with repeats of the same file left out (given twice, or by two names)."""
    seen: set[Path] = set()
    return [p for p in paths if not (p.resolve() in seen or seen.add(p.resolve()))]


def content_timestamp(path: Path, env: Mapping[str, str]) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds); else the content file's modification time,
    which grows whenever the content is edited, so Anki sees an edited deck as newer."""
    value = env.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{value}'")
        return int(value)
    return int(os.stat(path).st_mtime)


@dataclass
class Outcome:
    """What one process did with its share of the jobs."""

    problems: dict[Path, list[Problem]] = field(default_factory=dict)  # per file loaded (empty: valid)
    topics: dict[Path, str] = field(default_factory=dict)
    staged: dict[schedule.Job, Staged] = field(default_factory=dict)
    render_problems: dict[schedule.Job, list[Problem]] = field(default_factory=dict)

    def merge(self, other: Outcome) -> None:
        self.problems.update(other.problems)
        self.topics.update(other.topics)
        self.staged.update(other.staged)
        self.render_problems.update(other.render_problems)


def _work(jobs: list[schedule.Job], timestamps: dict[Path, int], options: PrintOptions, stage: Stage) -> Outcome:
    """The jobs of a share, file by file. With several files, each is done in a child process of its own,
    so the memory of one file's model and outputs is given back before the next file is loaded. After a
    file with problems, the rest are only checked: the build will fail, but every problem is reported."""
    files = _by_file(jobs)
    if len(files) == 1:
        return _one_file(*next(iter(files.items())), timestamps, options, stage, render=True)
    outcome = Outcome()
    for path, names in files.items():
        render = not any(outcome.problems.values())
        outcome.merge(processes.isolated(
            lambda _: _one_file(path, names, timestamps, options, stage, render), None))
    return outcome


def _one_file(path: Path, names: list[str], timestamps: dict[Path, int], options: PrintOptions, stage: Stage,
              render: bool) -> Outcome:
    """Load one file; if it (and every file before it) is valid, render its outputs, staging each at once."""
    outcome = Outcome()
    content, outcome.problems[path] = load_checked(path)
    if content is None or outcome.problems[path] or not render:
        return outcome
    outcome.topics[path] = content.topic.id
    gc.freeze()  # the model stays: collections below look only at what each renderer leaves behind
    try:
        for name in names:
            try:
                data = OUTPUTS[name][1](content, timestamps[path], options)
            except ContentError as exc:  # such as a patient sheet longer than two pages
                outcome.render_problems[path, name] = exc.problems
                continue
            finally:
                gc.collect()  # ReportLab's documents are full of reference cycles; the collector is off
            outcome.staged[path, name] = stage.put(OUTPUTS[name][0].format(id=content.topic.id), data)
    finally:
        gc.unfreeze()
    return outcome


def _by_file(jobs: list[schedule.Job]) -> dict[Path, list[str]]:
    grouped: dict[Path, list[str]] = {}
    for path, name in jobs:
        grouped.setdefault(path, []).append(name)
    return grouped


def _stage_all(paths: list[Path], env: Mapping[str, str], options: PrintOptions, only: tuple[str, ...],
               stage: Stage) -> dict[str, Staged]:
    """Every chosen output of every file, rendered on every core and staged, by file name; every problem of
    every file is reported together."""
    paths = checked_paths(paths)
    timestamps = {path: content_timestamp(path, env) for path in paths}
    names = tuple(name for name in OUTPUTS if name in only)
    shares = schedule.plan({path: path.stat().st_size for path in paths}, names, processes.cores())
    done = Outcome()
    for outcome in processes.run_all(lambda jobs: _work(jobs, timestamps, options, stage), shares):
        done.merge(outcome)  # a file loaded by two processes has the same problems in both: one copy stays
    if any(done.problems.values()):
        raise ContentError([problem for path in paths for problem in done.problems.get(path, [])])
    _check_topics((done.topics[path], str(path)) for path in paths)
    if done.render_problems:
        raise ContentError([problem for path in paths for name in names
                            for problem in done.render_problems.get((path, name), [])])
    return {OUTPUTS[name][0].format(id=done.topics[path]): done.staged[path, name] for path in paths for name in names}


def build(paths: list[Path], out_dir: Path, env: Mapping[str, str], options: PrintOptions = PrintOptions(),
          only: tuple[str, ...] = tuple(OUTPUTS)) -> list[Written]:
    """Validate, render, write: no output is replaced unless everything validated and rendered."""
    stage = Stage.begin(out_dir)
    gc.disable()  # the model and the renderers' objects live until the end: cyclic collection is pure cost here
    try:
        return stage.publish(_stage_all(paths, env, options, only, stage))
    except BaseException:
        stage.discard()
        raise
    finally:
        gc.enable()
