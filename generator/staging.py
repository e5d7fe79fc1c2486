"""Outputs are written beside their final names under temporary names, then renamed into place together.

Only when every output is staged does the build rename them. A failure before that (a full disk,
Ctrl-C) removes what was staged, and any folder the build made, and leaves earlier outputs byte for
byte as they were. A build that was killed outright cannot clean up: the next build into the same
folder removes its temporaries (their names carry the process id of the build that wrote them).
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.source.errors import UsageError


_COUNT = itertools.count()


@dataclass(frozen=True)
class Written:
    path: Path
    size: int


@dataclass(frozen=True)
class Staged:
    temp: Path
    size: int


@dataclass(frozen=True)
class Stage:
    """Where one build stages its outputs; `token` marks its temporaries, whichever process wrote them."""

    out_dir: Path
    token: str
    created: tuple[Path, ...]  # folders this build may create, outermost first

    @classmethod
    def begin(cls, out_dir: Path) -> Stage:
        missing, folder = [], out_dir.absolute()
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        remove_stale(out_dir)
        return cls(out_dir, f"{os.getpid()}-{os.urandom(4).hex()}", tuple(reversed(missing)))

    def put(self, name: str, data: bytes) -> Staged:
        """`data` in a synced temporary file that will become `name`."""
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            # the token makes the name this build's; the count makes it this output's
            temp = self.out_dir / f".{name}.{self.token}.{next(_COUNT)}.tmp"
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o666 & ~_umask())
        except OSError as exc:
            raise _unwritable(self.out_dir, exc) from exc
        return Staged(temp, len(data))

    def publish(self, staged: dict[str, Staged]) -> list[Written]:
        """Rename every staged file to its name, once nothing stands in the way. Each output it replaces
        is kept (a hard link) until all are renamed: if a rename fails or is interrupted, those already
        done are undone, so earlier outputs stay as they were."""
        for name in staged:
            if (self.out_dir / name).is_dir():
                raise UsageError(f"{self.out_dir / name} is a folder; move it away. Earlier outputs are unchanged")
        done: list[tuple[Path, Path | None]] = []  # (output, the earlier output's copy, if there was one)
        try:
            for name, item in staged.items():
                final = self.out_dir / name
                kept = self._keep(final)
                try:
                    os.replace(item.temp, final)
                except BaseException:
                    if kept:
                        kept.unlink(missing_ok=True)
                    raise
                done.append((final, kept))
        except BaseException as exc:
            for final, kept in reversed(done):
                if kept:
                    os.replace(kept, final)
                else:
                    final.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _unwritable(self.out_dir, exc) from exc
            raise
        for _, kept in done:
            if kept:
                kept.unlink(missing_ok=True)
        return [Written(self.out_dir / name, item.size) for name, item in staged.items()]

    def _keep(self, final: Path) -> Path | None:
        """A second name for the output about to be replaced, so it can be put back."""
        if not final.exists():
            return None
        kept = final.with_name(f".{final.name}.{self.token}.earlier.tmp")
        try:
            os.link(final, kept)
        except OSError:  # a file system without hard links
            import shutil

            shutil.copy2(final, kept)
        return kept

    def discard(self) -> None:
        """Remove this build's temporaries and the folders it made, if left empty."""
        if self.out_dir.is_dir():
            for temp in self.out_dir.glob(f".*.{self.token}.*.tmp"):
                temp.unlink(missing_ok=True)
        for folder in reversed(self.created):
            try:
                folder.rmdir()
            except OSError:
                pass  # not made by us after all, or not empty


_TEMPORARY = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.[^.]+\.tmp$")


def remove_stale(out_dir: Path) -> None:
    """Remove temporaries left in `out_dir` by builds that were killed (whose process is gone)."""
    if not out_dir.is_dir():
        return
    for temp in out_dir.glob(".*.tmp"):
        found = _TEMPORARY.match(temp.name)
        if found and not _running(int(found.group(1))):
            temp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether a process with this id exists. Only asked where it can be (POSIX: signal 0 is a check,
    not a signal); elsewhere every build is taken to be running, and nothing is removed."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user
    return True


def write_atomically(files: dict[str, bytes], out_dir: Path) -> list[Written]:
    """Write every file to a temporary name in `out_dir`, then rename all into place.
    Any failure before the renames (full disk, Ctrl-C) removes the temporaries and leaves old outputs as they were."""
    stage = Stage.begin(out_dir)
    try:
        return stage.publish({name: stage.put(name, data) for name, data in files.items()})
    except BaseException:
        stage.discard()
        raise


def _unwritable(out_dir: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write to {out_dir}: {exc.strerror or exc}; earlier outputs are unchanged")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
