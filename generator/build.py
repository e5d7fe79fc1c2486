"""The build, top to bottom: read the content files; leave alone the outputs that are already up to
date; load and validate the rest (every problem of every file at once); render each chosen output,
side by side on the machine's cores; stage the files beside their final names; publish all or none.
"""

from __future__ import annotations

import dataclasses
import os
import time
from xml.etree import ElementTree
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from generator import note_history, unchanged
from generator.outputs import BY_NAME, OUTPUTS, Options, Output
from generator.outputs.pdf.printable import unprintable, unprintable_fields
from generator.source.errors import ContentError, Problem, UsageError, shown
from generator.source.model import Content
from generator.source.yaml_source import read_bytes
from generator.staging import Stage, Written, write_atomically


@dataclass(frozen=True)
class Source:
    """A content file as read for this build, and the options its outputs are rendered with."""

    path: Path
    data: bytes
    options: Options
    lock: Path | None  # where the deck's note history is written (note_history.place); None: only checked
    assets: str = ""  # the images beside it (unchanged.assets), for outputs that are read before it is parsed


@dataclass(frozen=True)
class Job:
    """One file of one output of one content file."""

    content: Content
    output: Output
    options: Options
    key: str  # what the output is made from (see unchanged.key); the same for every file of the output
    file_name: str


class NotBuilt(ContentError):
    """Some outputs could not be laid out (such as card sheets with a card too long for its card); the
    others were built and published."""

    def __init__(self, problems: list[Problem], built: "Built", missing: list[str]) -> None:
        super().__init__(problems)
        self.built, self.missing = built, missing


@dataclass(frozen=True)
class Built:
    """What a build did: files written, files that were already up to date, content files read."""

    written: list[Written]
    unchanged: list[Path]
    sources: int
    notes: list[str]  # what the reader should know: where a lock went, cards retired and how to find them


def build(paths: list[Path], out_dir: Path, env: Mapping[str, str], options: Options = Options(),
          only: Iterable[str] = tuple(BY_NAME), pool: Executor | None = None) -> Built:
    """Validate, render, publish: nothing is written unless every file validated; an output that cannot be
    laid out (NotBuilt) keeps only itself from being written."""
    sources = [_read(path, env, options, out_dir) for path in checked_paths(paths)]
    outputs = [output for output in OUTPUTS if output.name in set(only)]
    manifest = unchanged.read(out_dir)
    todo, kept = _up_to_date(sources, outputs, manifest, out_dir)
    contents = validated(source for source in sources if any(source is wanted for wanted, _, _ in todo))
    _check_topics({path: topic for path, (_, topic) in kept.items()}
                  | {path: content.topic.id for path, content in contents.items()})
    planned = [Job(contents[source.path], output, options, key, name) for source, output, key in todo
               for name, options in output.files(contents[source.path], source.options)]
    _check_file_names([(job.file_name, Path(job.content.file)) for job in planned]
                      + [(name, path) for path, (names, _) in kept.items() for name in names])
    rendered = list(zip(planned, render_all(planned, pool)))
    siblings: dict[tuple[str, str], tuple[str, ...]] = {}
    for job in planned:
        siblings[_output_of(job)] = siblings.get(_output_of(job), ()) + (job.file_name,)
    # an output with a file that could not be laid out is not recorded as made: the next build tries it again
    failed_outputs = {_output_of(job) for job, result in rendered if isinstance(result, ContentError)}
    jobs = [job for job, result in rendered if isinstance(result, bytes)]
    files = {job.file_name: result for job, result in rendered if isinstance(result, bytes)}
    source_of = {str(source.path): source for source in sources}  # by the name each content was loaded as
    histories = _note_histories([job for job in jobs if job.output.name == "anki"])
    made = {job.file_name: unchanged.made(files[job.file_name],
                                          _made_from(job, source_of[job.content.file], histories.get(job.file_name)),
                                          job.content.topic.id, siblings[_output_of(job)])
            for job in jobs if _output_of(job) not in failed_outputs}
    written = _publish(out_dir, files, manifest | made)
    notes = _record_note_history(histories, source_of) + _paper_notes(jobs)
    built = Built(written, [out_dir / name for names, _ in kept.values() for name in names], len(sources), notes)
    failed = [(job, result) for job, result in rendered if isinstance(result, ContentError)]
    if failed:  # content that one output cannot lay out (a card too long) keeps only that output from being made
        raise NotBuilt([problem for _, result in failed for problem in result.problems], built,
                       [job.file_name for job, _ in failed])
    return built


def _output_of(job: Job) -> tuple[str, str]:
    """Which output of which content file a job makes a file of."""
    return job.content.file, job.output.name


def _up_to_date(sources: list[Source], outputs: list[Output], manifest: dict[str, unchanged.Made],
                out_dir: Path) -> tuple[list[tuple[Source, Output, str]], dict[Path, tuple[list[str], str]]]:
    """The (source, output, key) of every output to render, and for each file, the names of its outputs that
    are up to date with the topic id they were made for."""
    made_by_key: dict[str, dict[str, unchanged.Made]] = {}
    for name, made in manifest.items():
        made_by_key.setdefault(made.key, {})[name] = made
    todo: list[tuple[Source, Output, str]] = []
    kept: dict[Path, tuple[list[str], str]] = {}
    for source in sources:
        for output in outputs:
            key = unchanged.key(source.data, output, source.options, source.assets)
            files = made_by_key.get(key, {})
            if unchanged.complete(out_dir, files):
                kept.setdefault(source.path, ([], next(iter(files.values())).topic))[0].extend(files)
            else:
                todo.append((source, output, key))
    return todo, kept


def _read(path: Path, env: Mapping[str, str], options: Options, out_dir: Path | None = None) -> Source:
    """A content file's bytes, and the options its outputs are rendered with (with its note history when it
    is read for a build into `out_dir`)."""
    try:
        data = read_bytes(path)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if out_dir is None:
        return Source(path, data, options, None)
    read_from, write_to = note_history.place(path, out_dir)
    return Source(path, data, dataclasses.replace(options, timestamp=content_timestamp(path, env),
                                                  history=note_history.read(read_from), now=build_time(env)), write_to,
                  unchanged.assets(path, data))


def _paper_notes(jobs: list[Job]) -> list[str]:
    """A word when card sheets take one sheet of paper a card (fold mode with large cards)."""
    card_jobs = [job for job in jobs if job.output.name == "cards"]
    if not card_jobs:
        return []
    from generator.outputs import cards

    found = []
    for job in card_jobs:
        sheets, per_sheet = cards.sheets_needed(job.content, job.options)
        if per_sheet == 1 and sheets > 1:
            found.append(f"{job.file_name}: {sheets} sheets, one {job.options.card_size} card a sheet in fold mode "
                         f"on {job.options.paper}; --duplex long-edge or --card-size a7 prints more a sheet")
    return found


def _note_histories(jobs: list[Job]) -> dict[str, tuple[Job, note_history.History]]:
    """Each rendered deck's note history after this build (what its lock will hold), by the deck's file name."""
    if not jobs:
        return {}
    from generator.outputs import anki  # the deck's note history is the deck renderer's to compute

    return {job.file_name: (job, anki.updated_history(job.content, job.options)) for job in jobs}


def _made_from(job: Job, source: Source, history: tuple[Job, note_history.History] | None) -> str:
    """The key the manifest records: for a deck, made with the history its lock will hold, which is what
    the next build reads, so that a rebuild with nothing changed finds the deck up to date."""
    if history is None:
        return job.key
    return unchanged.key(source.data, job.output, dataclasses.replace(job.options, history=history[1]), source.assets)


def _record_note_history(histories: dict[str, tuple[Job, note_history.History]],
                         source_of: dict[str, Source]) -> list[str]:
    """Bring each rendered deck's lock up to date, once its outputs are published; say what the reader
    should do about it."""
    notes = []
    for job, after in histories.values():
        lock = source_of[job.content.file].lock
        assert lock is not None  # sources read for a build have one
        before = job.options.history
        if after.digest != before.digest:
            write_atomically({lock.name: after.text.encode("utf-8")}, lock.parent)
            beside = lock.parent == Path(job.content.file).parent
            notes.append(f"note history {'updated' if before.notes else 'started'}: {lock}"
                         + ("" if beside else f" (the folder of {job.content.file} cannot be written)"))
        retired = [card_id for card_id, record in after.notes.items()
                   if record.retired_on and not getattr(before.notes.get(card_id), "retired_on", None)]
        if retired:
            notes.append(f"{len(retired)} card{'s' * (len(retired) != 1)} left the content and "
                         f"{'are' if len(retired) != 1 else 'is'} shipped once more as retired: in Anki, Browse "
                         f"with the search  tag:{job.content.topic.id}::retired  to delete or suspend them")
    return notes


def validated(sources: Iterable[Source]) -> dict[Path, Content]:
    """Every file's content, checked; every problem of every file is raised together."""
    contents: dict[Path, Content] = {}
    problems: list[Problem] = []
    for source in sources:
        content, found = load_checked(source.path, source.data)
        problems += found
        if content is not None:
            contents[source.path] = content
    if problems:
        raise ContentError(problems)
    return contents


def load_all(paths: list[Path]) -> list[Content]:
    """Validate every file (all problems of all files together), for the commands that only read content."""
    contents = validated(_read(path, {}, Options()) for path in checked_paths(paths))
    _check_topics({path: content.topic.id for path, content in contents.items()})
    return list(contents.values())


def load_checked(path: Path, data: bytes) -> tuple[Content | None, list[Problem]]:
    """One file's content and its problems, including text the PDFs' fonts cannot print."""
    from generator.source.load import load_bytes  # the parser: not loaded by a rebuild with nothing to do

    try:
        content = load_bytes(data, str(path))
        return content, unprintable_fields(content.texts, content.file) + _unprintable_in_pictures(content)
    except ContentError as exc:
        return None, exc.problems + unprintable_fields(exc.texts, str(path))


def _unprintable_in_pictures(content: Content) -> list[Problem]:
    """The words inside an SVG figure are drawn in our fonts too: a character they lack would vanish."""
    problems = []
    for i, section in enumerate(content.sections):
        for j, figure in enumerate(section.figures):
            if figure.image is not None and figure.image.kind == "svg":
                words = "".join(ElementTree.fromstring(figure.image.data).itertext())
                if missing := unprintable(words):
                    shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
                    problems.append(content.problem(f"sections[{i}].figures[{j}].image.file",
                                                    f"the font cannot print {shown} in the picture's text; "
                                                    f"replace or remove it in the SVG file"))
    return problems


def render_all(jobs: list[Job], pool: Executor | None = None) -> list[bytes | ContentError]:
    """Every job's bytes, or the content problems that kept it from being made, in order: in `pool`, or in
    a pool of our own when there are cores to share the work."""
    if pool is None and len(jobs) > 1:
        from generator import workers  # multiprocessing: loaded only when there is work to share

        if workers.cores() > 1:
            own = workers.pool(min(len(jobs), workers.cores()))
            try:
                return render_all(jobs, own)
            finally:
                own.shutdown(wait=False, cancel_futures=True)  # at once after Ctrl-C; workers end with us
    return list(pool.map(render, jobs)) if pool is not None else [render(job) for job in jobs]


def render(job: Job) -> bytes | ContentError:
    """One output's bytes, or the content problems that kept it from being made."""
    try:
        return job.output.render(job.content, job.options)
    except ContentError as exc:  # such as a patient sheet longer than two pages
        return exc


def _publish(out_dir: Path, files: dict[str, bytes], manifest: dict[str, unchanged.Made]) -> list[Written]:
    """Stage every file and the manifest, then rename them all into place; nothing if nothing changed."""
    if not files:
        return []
    stage = Stage.begin(out_dir)
    try:
        staged = {name: stage.put(name, data) for name, data in files.items()}
        staged[unchanged.MANIFEST] = stage.put(unchanged.MANIFEST, unchanged.record(manifest))
        return [item for item in stage.publish(staged) if item.path.name != unchanged.MANIFEST]
    except BaseException:
        stage.discard()
        raise


def default_sources(cwd: Path) -> list[Path]:
    """`content/*.yaml` below `cwd` when there is any, else the content shipped inside the package."""
    local = sorted((cwd / "content").glob("*.yaml"))
    if local:
        return local
    from importlib import resources

    shipped = resources.files("generator").joinpath("content")
    return sorted(Path(str(entry)) for entry in shipped.iterdir() if entry.name.endswith(".yaml"))


def checked_paths(paths: list[Path]) -> list[Path]:
    """The content files, each once; a folder or a missing file is a usage error."""
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give content files (CONTENT.yaml)")
        if not path.is_file():
            raise UsageError(f"no such content file: {path}")
    seen: set[Path] = set()
    return [p for p in paths if not (p.resolve() in seen or seen.add(p.resolve()))]


def _check_topics(topics: dict[Path, str]) -> None:
    """Two content files with one topic id would write the same output files."""
    seen: dict[str, Path] = {}
    for path, topic_id in topics.items():
        if topic_id in seen:
            raise UsageError(f"{path} and {seen[topic_id]} share the topic id "
                             f"'{topic_id}'; their outputs would overwrite each other")
        seen[topic_id] = path


def _check_file_names(files: list[tuple[str, Path]]) -> None:
    """Two content files whose topic and sheet ids happen to make the same file name ('x' with sheet
    'y-handout', 'x-patient-y' with its handout) would overwrite each other's output."""
    seen: dict[str, Path] = {}
    for name, path in files:
        if seen.setdefault(name, path) != path:
            raise UsageError(f"{path} and {seen[name]} would both write {name}; change a topic id or a patient "
                             f"sheet id")


def build_time(env: Mapping[str, str]) -> int:
    """The time a changed note gets: SOURCE_DATE_EPOCH (reproducible builds) or the clock."""
    epoch = source_date_epoch(env)
    return int(time.time()) if epoch is None else epoch


LAST_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z: PDF and Anki dates have four-digit years


def content_timestamp(path: Path, env: Mapping[str, str]) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds); else the content file's modification time,
    which grows whenever the content is edited (the PDFs' dates)."""
    epoch = source_date_epoch(env)
    return int(os.stat(path).st_mtime) if epoch is None else epoch


def source_date_epoch(env: Mapping[str, str]) -> int | None:
    """SOURCE_DATE_EPOCH as a number, None when it is not set; a usage error when it is not one."""
    value = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(LAST_EPOCH)) or int(value) > LAST_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970 (up to {LAST_EPOCH}, "
                         f"the end of 9999), not '{shown(value)}'")
    return int(value)
