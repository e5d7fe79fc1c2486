"""Run one function over several shares of work at once: the main process takes the first share, a forked
child each of the others, and each child sends its result (or its exception) back through a pipe.

Forking copies the loaded program, so a child starts at once and nothing but results is pickled.
Where fork is missing (Windows), or with a single share, the shares run one after another here.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from dataclasses import dataclass
from typing import Callable, TypeVar

Share = TypeVar("Share")
Result = TypeVar("Result")


@dataclass
class _Child:
    pid: int
    pipe: int | None  # the read end, until it is closed
    done: bool = False


def cores() -> int:
    """How many processes can run at once here (the CPUs this process may use)."""
    if not hasattr(os, "fork"):
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_all(work: Callable[[Share], Result], shares: list[Share]) -> list[Result]:
    """`work` of every share, in order; the first exception of any share is raised here."""
    if len(shares) < 2 or cores() < 2:
        return [work(share) for share in shares]
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[_Child] = []
    try:
        for share in shares[1:]:
            children.append(_start(work, share))  # one at a time: a failed fork still stops those started
        mine = work(shares[0])
        return [mine, *(_collect(child) for child in children)]
    finally:
        for child in children:
            _stop(child)


def isolated(work: Callable[[Share], Result], share: Share) -> Result:
    """`work(share)` in a forked child, waited for: whatever memory it takes goes back to the system when
    it ends, instead of staying with this process, fragmented. Here itself where fork is missing."""
    if not hasattr(os, "fork"):
        return work(share)
    sys.stdout.flush()
    sys.stderr.flush()
    child = _start(work, share)
    try:
        return _collect(child)
    finally:
        _stop(child)


def _start(work: Callable[[Share], Result], share: Share) -> _Child:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return _Child(pid, read_end)
    os.close(read_end)  # in the child from here on: never return into the caller's code
    try:
        try:
            message = pickle.dumps(("result", work(share)))
        except BaseException as exc:  # sent to the parent, which raises it (KeyboardInterrupt too)
            import traceback

            exc.add_note("in a build process:\n" + traceback.format_exc().rstrip())
            message = _error_message(exc)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(message)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _error_message(exc: BaseException) -> bytes:
    """The pickled exception if the parent can unpickle it, else a RuntimeError that names it."""
    try:
        message = pickle.dumps(("error", exc))
        pickle.loads(message)
        return message
    except Exception:
        stand_in = RuntimeError(f"{type(exc).__name__}: {exc}")
        for note in getattr(exc, "__notes__", []):
            stand_in.add_note(note)
        return pickle.dumps(("error", stand_in))


def _collect(child: _Child) -> Result:
    stream, child.pipe = os.fdopen(child.pipe, "rb"), None  # the stream owns the descriptor now
    with stream:
        message = stream.read()
    _, status = os.waitpid(child.pid, 0)
    child.done = True
    if not message:
        raise RuntimeError(f"a build process ended without a result ({_describe(status)})")
    try:
        kind, value = pickle.loads(message)
    except Exception as exc:
        raise RuntimeError(f"a build process sent a result that cannot be read: {type(exc).__name__}: {exc}") from None
    if kind == "error":
        raise value
    return value


def _stop(child: _Child) -> None:
    """A child still running when the parent gives up (an error, Ctrl-C) is ended and reaped."""
    if child.pipe is not None:
        os.close(child.pipe)
    if child.done:
        return
    try:
        os.kill(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(child.pid, 0)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
