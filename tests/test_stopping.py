"""Stopping a build from outside: Ctrl-C, `timeout` (SIGTERM), a closed terminal (SIGHUP), SIGKILL.

However it is stopped while its workers render, a build replaces no earlier output and leaves no
process behind; stopped politely it exits 130 with its one-line message and removes what it made.
A build killed outright cannot clean up: its workers end by themselves, and the next build into the
same folder removes any temporaries it left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import workers
from tests.conftest import EPOCH, ROOT

pytestmark = pytest.mark.skipif(workers.cores() < 2 or not hasattr(os, "killpg") or not Path("/proc").is_dir(),
                                reason="needs two cores, process groups and /proc")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two content files of 800 facts each (most of a second of work per output), made by the benchmark generator."""
    folder = tmp_path_factory.mktemp("content")
    for seed in (1, 2):
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic.py"), "--facts", "800",
                        "--seed", str(seed), "--out", str(folder / f"topic{seed}.yaml")], check=True, cwd=ROOT)
    files = sorted(folder.glob("*.yaml"))
    for index, path in enumerate(files):  # each file its own topic id
        path.write_text(path.read_text(encoding="utf-8").replace("id: synthetic", f"id: synthetic-{index}", 1),
                        encoding="utf-8")
    return files


def _session(sid: int) -> list[int]:
    """The live processes of a session (the build started one; its workers are in it too)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                state, _, _, session = stat.read().rsplit(")", 1)[1].split()[:4]
        except OSError:
            continue
        if int(session) == sid and state != "Z":
            found.append(int(entry))
    return found


def _start(sources: list[Path], out: Path, epoch: int = EPOCH) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    return subprocess.Popen([sys.executable, "-m", "generator", "build", *map(str, sources), "--out", str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own group, as a shell gives a command


def _rendering(process: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until the build has workers (it has loaded the content and is rendering)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if len(_session(process.pid)) > 2:
            time.sleep(0.3)
            return
        time.sleep(0.01)
    pytest.fail("the build never started its workers")


def _gone(sid: int, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while _session(sid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def earlier(sources: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The outputs of a finished build of the sources, made at an earlier time."""
    out = tmp_path_factory.mktemp("earlier")
    assert _start(sources, out, EPOCH - 3600).wait(timeout=120) == 0
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _folder_with(files: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize(("signum", "whole_group", "earlier_build"), [
    (signal.SIGINT, True, True), (signal.SIGTERM, False, True),
    (signal.SIGHUP, False, False),  # into a folder the build would have made: it is removed again
])
def test_a_stopped_build_leaves_what_was_there_and_no_process(sources: list[Path], earlier: dict[str, bytes],
                                                              tmp_path: Path, signum: int, whole_group: bool,
                                                              earlier_build: bool) -> None:
    out = _folder_with(earlier, tmp_path / "out") if earlier_build else tmp_path / "made" / "out"
    process = _start(sources, out)
    try:
        _rendering(process)
        if whole_group:
            os.killpg(process.pid, signum)  # Ctrl-C at a terminal reaches the whole foreground group
        else:
            os.kill(process.pid, signum)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err
    assert err.splitlines()[-1] == "factpack: interrupted; earlier outputs are unchanged"
    assert _session(process.pid) == []
    if earlier_build:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier
    else:
        assert not (tmp_path / "made").exists()


def test_a_killed_build_leaves_no_worker_running(sources: list[Path], earlier: dict[str, bytes],
                                                tmp_path: Path) -> None:
    out = _folder_with(earlier, tmp_path / "out")
    process = _start(sources, out)
    _rendering(process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=5)
    assert _gone(process.pid), "workers of a killed build kept running"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier


def test_the_next_build_removes_temporaries_a_killed_build_left(run_cli, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id that no longer runs
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".demo-topic.apkg.{dead.pid}-0a1b2c3d.0.tmp"
    stale.write_bytes(b"half a deck")
    mine = out / f".notes.txt.{os.getpid()}-0a1b2c3d.0.tmp"  # a build still running: left alone
    mine.write_bytes(b"in progress")
    assert run_cli("build", ROOT / "tests" / "data" / "valid" / "minimal.yaml", "--out", out).code == 0
    assert not stale.exists()
    assert mine.exists()


def test_a_killed_worker_leaves_earlier_outputs_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    minimal = ROOT / "tests" / "data" / "valid" / "minimal.yaml"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    assert subprocess.run([sys.executable, "-m", "generator", "build", str(minimal), "--out", str(out)], env=env,
                          cwd=ROOT, capture_output=True).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    script = ("import sys\nfrom generator import build\nfrom tests import failing_outputs\n"
              "build.OUTPUTS = failing_outputs.replacing(build.OUTPUTS, failing_outputs.KILLED)\n"
              "from generator.cli import main\nsys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", script, "build", str(minimal), "--out", str(out)],
                          env={**env, "SOURCE_DATE_EPOCH": str(EPOCH + 1)}, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 3 and "BrokenProcessPool" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
