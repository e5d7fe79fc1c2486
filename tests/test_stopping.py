"""Stopping a build from outside: Ctrl-C, `timeout` (SIGTERM), a closed terminal (SIGHUP).

Whenever it comes, even while outputs are being staged by several processes, the build exits 130 with
its one-line message, leaves no process behind, no temporary file in the output folder, no scratch
folder in TMPDIR, and no output folder it made itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import processes

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(processes.cores() < 2 or not hasattr(os, "killpg"),
                                reason="needs fork, process groups and two cores")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two content files of 2,500 facts each (seconds of work), made by the benchmark generator."""
    folder = tmp_path_factory.mktemp("content")
    for seed in (1, 2):
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic.py"), "--facts", "2500",
                        "--seed", str(seed), "--out", str(folder / f"topic{seed}.yaml")], check=True, cwd=ROOT)
    files = sorted(folder.glob("*.yaml"))
    for index, path in enumerate(files):  # each file its own topic id
        path.write_text(path.read_text(encoding="utf-8").replace("id: synthetic", f"id: synthetic-{index}", 1),
                        encoding="utf-8")
    return files


def _staging_started(out: Path, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if out.is_dir() and any(p.name.endswith(".tmp") for p in out.iterdir()):
            return
        time.sleep(0.01)
    pytest.fail("the build never staged an output")


def _session(sid: int) -> list[int]:
    """The live processes of a session (the build started one; its children keep it)."""
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


@pytest.mark.parametrize(("signum", "whole_group"), [(signal.SIGINT, True), (signal.SIGTERM, False),
                                                      (signal.SIGHUP, False)])
def test_a_stopped_build_leaves_nothing_behind(sources: list[Path], tmp_path: Path, signum: int,
                                               whole_group: bool) -> None:
    out, scratch = tmp_path / "made" / "out", tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "SOURCE_DATE_EPOCH": "1767225600"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", *map(str, sources), "--out", str(out)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # its own group, as a shell gives a command
    try:
        _staging_started(out, process)
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
    assert _session(process.pid) == []  # no process of the build is left, whatever group it moved to
    assert not (tmp_path / "made").exists()
    assert list(scratch.iterdir()) == []
