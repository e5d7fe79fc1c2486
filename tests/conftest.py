"""Shared helpers: paths to test data, running the CLI in-process, reading built outputs."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.source.load import load
from generator.source.model import Content

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
MINIMAL = DATA / "valid" / "minimal.yaml"
KETAMINE = ROOT / "content" / "ketamine.yaml"
EPOCH = 1_764_028_800  # 2025-11-25T00:00:00Z

# Tests that start `python -m generator` or `factpack` in another folder must run the code under test, not
# whatever copy of the package the environment has installed (an editable install of another checkout).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run `factpack ARGS...` in-process; return exit code and captured output."""

    def run(*args: str) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def minimal() -> Content:
    return load(MINIMAL)


@pytest.fixture
def minimal_copy(tmp_path: Path) -> Path:
    """A writable copy of the minimal content file."""
    target = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, target)
    return target


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def outputs_in(folder: Path) -> list[str]:
    """The names of the files a build wrote into `folder`, less its hidden record of what made them."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="session")
def monkeypatch_env():
    """SOURCE_DATE_EPOCH set for a whole session of generated examples (hypothesis reruns a test body)."""
    import os

    earlier = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)
    yield
    if earlier is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = earlier
