"""Run one function over several shares of work at once: the main process takes the first share, a forked
child each of the others, and each child sends its result (or its exception) back through a pipe.

Forking copies the loaded program, so a child starts at once and nothing but results is pickled.
Where fork is missing (Windows), or with a single share, the shares run one after another here.

Stopping is part of the job: a child leads a process group of its own, so Ctrl-C at the terminal
reaches only the main process, which then stops every child and whatever that child started
(SIGTERM, which a child turns into KeyboardInterrupt so its clean-up runs; SIGKILL if it takes longer
than GRACE), and returns only when all of them are gone.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, TypeVar

Share = TypeVar("Share")
Result = TypeVar("Result")


STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
GRACE = 2.0  # seconds a stopped child may take to clean up before it is killed


@dataclass
class _Child:
    pid: int
    pipe: int | None  # the read end, until it is closed
    group: bool  # leads a process group of its own, holding whatever it starts
    done: bool = False


def interrupt(signum: int, frame: object) -> None:
    """A signal handler that turns SIGTERM or SIGHUP into KeyboardInterrupt, so `finally` blocks run."""
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and termination wait until a child just forked is on the list of those to stop."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def cores() -> int:
    """How many processes can run at once here (the CPUs this process may use)."""
    if not hasattr(os, "fork"):
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_all(work: Callable[[Share], Result], shares: list[Share]) -> list[Result]:
    """`work` of every share, in order; the first exception of any share is raised here."""
    if len(shares) < 2 or cores() < 2:
        return [work(share) for share in shares]
    children: list[_Child] = []
    try:
        for share in shares[1:]:  # one at a time: a failed fork still stops those started
            with _signals_held():
                children.append(_start(work, share, group=True))
        mine = work(shares[0])
        return [mine, *(_collect(child) for child in children)]
    finally:
        _stop(children)


def isolated(work: Callable[[Share], Result], share: Share) -> Result:
    """`work(share)` in a forked child, waited for: whatever memory it takes goes back to the system when
    it ends, instead of staying with this process, fragmented. Here itself where fork is missing."""
    if not hasattr(os, "fork"):
        return work(share)
    children: list[_Child] = []
    try:
        with _signals_held():
            children.append(_start(work, share, group=False))  # in our group: stopped along with us
        return _collect(children[0])
    finally:
        _stop(children)


def _start(work: Callable[[Share], Result], share: Share, group: bool) -> _Child:
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        if group:
            try:
                os.setpgid(pid, pid)  # also done in the child: whichever runs first, the group exists
            except OSError:
                pass  # the child has done it, or has already ended
        os.close(write_end)
        return _Child(pid, read_end, group)
    try:  # in the child from here on: never return into the caller's code
        if group:
            os.setpgid(0, 0)
        signal.signal(signal.SIGTERM, interrupt)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        os.close(read_end)
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


def _stop(children: list[_Child]) -> None:
    """Children still running when the parent gives up (an error, Ctrl-C) are asked to stop, then killed
    if they have not within GRACE seconds; each is reaped, and so is everything in the group it leads."""
    for child in children:
        if child.pipe is not None:
            os.close(child.pipe)
            child.pipe = None
    running = [child for child in children if not child.done]
    for child in running:
        _signal(child, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for child in running:
        if not _reaped(child, deadline):
            _signal(child, signal.SIGKILL)
            os.waitpid(child.pid, 0)
        child.done = True
    for child in children:
        if child.group and not _group_gone(child.pid, deadline):
            _signal(child, signal.SIGKILL)
            _group_gone(child.pid, time.monotonic() + GRACE)


def _signal(child: _Child, signum: int) -> None:
    try:
        if child.group:
            os.killpg(child.pid, signum)
        else:
            os.kill(child.pid, signum)
    except ProcessLookupError:
        pass


def _reaped(child: _Child, deadline: float) -> bool:
    while True:
        pid, _ = os.waitpid(child.pid, os.WNOHANG)
        if pid:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)


def _group_gone(group: int, deadline: float) -> bool:
    """Whether every process of the group has ended (those it started, which are not our children)."""
    while True:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return True  # the id went to a group that is not ours
        if time.monotonic() > deadline:
            return False
        time.sleep(0.002)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
