"""Running the build's shares at once: `processes.run_all(work, shares)`.

The first share runs in the calling process, each other share in a forked child that sends back its
pickled result or exception. Results come back in share order; the first failing share (in share order)
is raised here, with its type and message, noted as coming from a build process; a child that dies without
a word is a RuntimeError saying how it ended. However run_all ends, no child is left running or unreaped.
With one share, or where fork is missing, the shares run one after another in this process.
"""

from __future__ import annotations

import os
import pickle
import signal
import time

import pytest

from generator import processes

needs_two_cores = pytest.mark.skipif(processes.cores() < 2, reason="needs at least two usable cores")


@pytest.fixture(autouse=True)
def no_children_left_behind():
    """Every test starts with no children and must end with none: stopped and reaped, no zombies."""
    _assert_no_children()
    yield
    _assert_no_children()


def _assert_no_children() -> None:
    try:
        found = os.waitpid(-1, os.WNOHANG)  # (0, 0): a child still running; (pid, status): a zombie, now reaped
    except ChildProcessError:
        return
    pytest.fail(f"a child process was left behind: waitpid gave {found}")


def _share_and_pid(share):
    return share, os.getpid()


def _no_fork():
    raise AssertionError("run_all forked, but should have run in-process")


# --- results ----------------------------------------------------------------------------------------------


def test_cores_is_at_least_one_and_at_most_the_cpus() -> None:
    assert 1 <= processes.cores() <= (os.cpu_count() or 1)


@needs_two_cores
def test_each_share_runs_in_its_own_process_the_first_in_this_one() -> None:
    results = processes.run_all(_share_and_pid, ["a", "b", "c"])
    assert [share for share, _ in results] == ["a", "b", "c"]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 3


@needs_two_cores
def test_only_the_first_share_has_effects_in_this_process() -> None:
    seen = []

    def work(share):
        seen.append(share)
        return share * 10

    assert processes.run_all(work, [1, 2, 3]) == [10, 20, 30]
    assert seen == [1]  # the others appended in their own (forked) copy of `seen`


@needs_two_cores
def test_results_come_back_in_share_order_whatever_finishes_first() -> None:
    def work(share):
        time.sleep({0: 0.05, 1: 0.1, 2: 0.0, 3: 0.02}[share])
        return share, os.getpid()

    results = processes.run_all(work, [0, 1, 2, 3])
    assert [share for share, _ in results] == [0, 1, 2, 3]
    assert results[0][1] == os.getpid()
    assert os.getpid() not in [pid for _, pid in results[1:]]


@needs_two_cores
def test_results_are_what_work_returns_even_when_larger_than_a_pipe_buffer() -> None:
    def work(share):
        return {"share": share, "data": bytes([share]) * (2 * 1024 * 1024), "nested": [(share, "x")]}

    results = processes.run_all(work, [0, 1, 2])
    assert results == [work(0), work(1), work(2)]


def test_no_shares_give_no_results(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fork", _no_fork)
    assert processes.run_all(_share_and_pid, []) == []


def test_a_single_share_runs_in_this_process_without_forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fork", _no_fork)
    assert processes.run_all(_share_and_pid, ["only"]) == [("only", os.getpid())]


def test_a_single_share_raises_its_own_exception_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fork", _no_fork)
    error = ValueError("bad share")

    def work(share):
        raise error

    with pytest.raises(ValueError) as raised:
        processes.run_all(work, ["only"])
    assert raised.value is error


def test_without_fork_the_shares_run_one_after_another_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "cores", lambda: 1)
    monkeypatch.setattr(os, "fork", _no_fork)
    seen = []

    def work(share):
        seen.append(share)
        return share, os.getpid()

    results = processes.run_all(work, [0, 1, 2])
    assert results == [(0, os.getpid()), (1, os.getpid()), (2, os.getpid())]
    assert seen == [0, 1, 2]


@needs_two_cores
def test_a_successful_run_leaves_no_children(monkeypatch: pytest.MonkeyPatch) -> None:
    processes.run_all(_share_and_pid, list(range(5)))
    _assert_no_children()


# --- exceptions in a child --------------------------------------------------------------------------------


def _fail_in(failing: dict):
    """A work function that raises failing[share] for the shares listed, and returns the share otherwise."""

    def work(share):
        if share in failing:
            raise failing[share]
        return share

    return work


@needs_two_cores
def test_an_exception_in_a_child_is_raised_here_with_its_type_message_and_a_note() -> None:
    with pytest.raises(ValueError) as raised:
        processes.run_all(_fail_in({1: ValueError("no such fact: 'dose'")}), [0, 1, 2])
    assert str(raised.value) == "no such fact: 'dose'"
    notes = getattr(raised.value, "__notes__", [])
    assert any("in a build process" in note for note in notes)
    assert any("ValueError: no such fact" in note for note in notes), "the child's traceback is in the note"


@needs_two_cores
def test_the_first_failing_share_in_share_order_is_raised() -> None:
    work = _fail_in({1: ValueError("share one"), 2: KeyError("share two")})
    with pytest.raises(ValueError, match="share one"):
        processes.run_all(work, [0, 1, 2])


@needs_two_cores
def test_a_failing_later_share_is_raised_after_earlier_ones_succeed() -> None:
    with pytest.raises(OSError, match="disk full"):
        processes.run_all(_fail_in({3: OSError("disk full")}), [0, 1, 2, 3])


@needs_two_cores
def test_a_keyboard_interrupt_in_a_child_arrives_as_keyboard_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt):
        processes.run_all(_fail_in({1: KeyboardInterrupt()}), [0, 1])


@needs_two_cores
def test_an_exception_that_cannot_be_pickled_arrives_as_runtime_error_naming_it() -> None:
    class LocalError(Exception):  # defined here, so pickle cannot find it by name
        pass

    with pytest.raises(RuntimeError) as raised:
        processes.run_all(_fail_in({1: LocalError("the fact table is empty")}), [0, 1])
    assert type(raised.value) is RuntimeError
    assert "LocalError" in str(raised.value)
    assert "the fact table is empty" in str(raised.value)


@needs_two_cores
def test_an_exception_holding_a_lambda_arrives_as_runtime_error_naming_it() -> None:
    error = ValueError("cannot render card 3")
    error.callback = lambda: None  # pickling the exception would pickle this too, and fail
    with pytest.raises(RuntimeError) as raised:
        processes.run_all(_fail_in({1: error}), [0, 1])
    assert str(raised.value) == "ValueError: cannot render card 3"


@needs_two_cores
def test_a_result_that_cannot_be_pickled_is_an_error_from_the_build_process() -> None:
    def work(share):
        return (lambda: share) if share else share

    with pytest.raises(Exception) as raised:
        processes.run_all(work, [0, 1])
    assert "pickle" in str(raised.value).lower()
    assert any("in a build process" in note for note in getattr(raised.value, "__notes__", []))


# --- a child that dies without a result -------------------------------------------------------------------


@needs_two_cores
def test_a_child_that_exits_without_a_result_is_a_runtime_error_with_its_exit_status() -> None:
    def work(share):
        if share == 1:
            os._exit(5)
        return share

    with pytest.raises(RuntimeError, match="ended without a result") as raised:
        processes.run_all(work, [0, 1, 2])
    assert "exit status 5" in str(raised.value)


@needs_two_cores
def test_a_child_killed_by_a_signal_is_a_runtime_error_naming_the_signal() -> None:
    def work(share):
        if share == 1:
            os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(5)  # not reached: the signal ends the child
        return share

    with pytest.raises(RuntimeError, match="ended without a result") as raised:
        processes.run_all(work, [0, 1])
    assert f"killed by signal {int(signal.SIGKILL)}" in str(raised.value)


@needs_two_cores
def test_a_child_asked_to_stop_unwinds_and_reports_an_interruption(tmp_path) -> None:
    def work(share):
        if share == 1:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)  # not reached: SIGTERM raises KeyboardInterrupt in a child
            finally:
                (tmp_path / "cleaned-up").touch()
        return share

    with pytest.raises(KeyboardInterrupt):
        processes.run_all(work, [0, 1])
    assert (tmp_path / "cleaned-up").exists()


# --- giving up: the children are stopped and reaped -------------------------------------------------------


@needs_two_cores
def test_when_the_first_share_fails_the_children_are_stopped_and_reaped() -> None:
    def work(share):
        if share == 0:
            raise ValueError("first share failed")
        time.sleep(30)  # would hold the build up for long if it were waited for
        return share

    started = time.monotonic()
    with pytest.raises(ValueError, match="first share failed") as raised:
        processes.run_all(work, [0, 1, 2])
    assert time.monotonic() - started < 5
    assert not getattr(raised.value, "__notes__", []), "raised here, not in a build process"
    _assert_no_children()


@needs_two_cores
def test_when_the_first_share_fails_children_that_already_finished_are_reaped() -> None:
    def work(share):
        if share == 0:
            time.sleep(0.1)  # the children are done by now
            raise ValueError("first share failed")
        return share

    with pytest.raises(ValueError, match="first share failed"):
        processes.run_all(work, [0, 1, 2])
    _assert_no_children()


@needs_two_cores
def test_when_a_child_fails_the_later_children_are_stopped_and_reaped() -> None:
    def work(share):
        if share == 1:
            raise ValueError("second share failed")
        if share == 2:
            time.sleep(30)
        return share

    started = time.monotonic()
    with pytest.raises(ValueError, match="second share failed"):
        processes.run_all(work, [0, 1, 2])
    assert time.monotonic() - started < 5
    _assert_no_children()


@needs_two_cores
def test_ctrl_c_in_this_process_stops_and_reaps_the_children() -> None:
    def work(share):
        if share == 0:
            raise KeyboardInterrupt
        time.sleep(30)
        return share

    with pytest.raises(KeyboardInterrupt):
        processes.run_all(work, [0, 1, 2])
    _assert_no_children()


# --- failures while starting children, and errors that do not survive pickling ------------------------


def _reap_all_children() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


@needs_two_cores
def test_when_a_fork_fails_the_children_already_started_are_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fork, forks = os.fork, []

    def fork():
        forks.append(1)
        if len(forks) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    try:
        with pytest.raises(BlockingIOError):
            processes.run_all(_share_and_pid, [0, 1, 2])
        time.sleep(0.1)  # let the first child finish, so a leak shows as a zombie
        _assert_no_children()
    finally:
        _reap_all_children()  # leave no zombie behind for the other tests


class TwoArgumentError(Exception):
    """Pickles (its args are just the message) but cannot be unpickled: __init__ wants two arguments."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


def test_two_argument_error_does_not_survive_a_pickle_round_trip() -> None:
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(TwoArgumentError("a.yaml", "bad")))


@needs_two_cores
def test_an_exception_that_cannot_be_unpickled_still_names_the_original_error() -> None:
    with pytest.raises(RuntimeError) as raised:
        processes.run_all(_fail_in({1: TwoArgumentError("a.yaml", "bad dose")}), [0, 1])
    assert str(raised.value) == "TwoArgumentError: a.yaml: bad dose"
    assert any("in a build process" in note for note in raised.value.__notes__)


# --- one share in a child of its own ------------------------------------------------------------------


def test_isolated_runs_the_work_in_another_process_and_returns_its_result() -> None:
    share, pid = processes.isolated(_share_and_pid, "a")
    assert share == "a" and pid != os.getpid()


def test_isolated_raises_what_the_work_raised() -> None:
    with pytest.raises(ValueError, match="bad dose") as raised:
        processes.isolated(_fail_in({0: ValueError("bad dose")}), 0)
    assert any("in a build process" in note for note in raised.value.__notes__)


@needs_two_cores
def test_stopping_a_child_also_stops_what_it_started(tmp_path) -> None:
    """A child's own children (a per-file process) are in its group and end with it, before run_all returns."""
    def grandchild(_):
        (tmp_path / "grandchild").write_text(str(os.getpid()))
        time.sleep(30)
        (tmp_path / "outlived").touch()

    def work(share):
        if share == 0:
            deadline = time.monotonic() + 5
            while not (tmp_path / "grandchild").exists() and time.monotonic() < deadline:
                time.sleep(0.01)  # let the child start its own child
            raise ValueError("first share failed")
        return processes.isolated(grandchild, None)

    with pytest.raises(ValueError):
        processes.run_all(work, [0, 1])
    pid = int((tmp_path / "grandchild").read_text())
    assert not os.path.exists(f"/proc/{pid}") or _state(pid) == "Z"  # gone (or dead, awaiting init)
    assert not (tmp_path / "outlived").exists()


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


@needs_two_cores
def test_ctrl_c_while_forking_still_stops_the_child(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Ctrl-C that lands just after fork returns waits until the child is on the list of those to stop."""
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            os.kill(os.getpid(), signal.SIGINT)  # held until the child is registered
        return pid

    def work(share):
        if share == 1:
            time.sleep(1)
            (tmp_path / "outlived").touch()
        return share

    monkeypatch.setattr(os, "fork", fork)
    with pytest.raises(KeyboardInterrupt):
        processes.run_all(work, [0, 1])
    time.sleep(1.2)
    assert not (tmp_path / "outlived").exists()
