"""End to end: the CLI builds into a folder, writes atomically, and never leaves half a build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import build
from generator import staging
from tests import failing_outputs, pdf_inspect
from tests.conftest import EPOCH, MINIMAL, ROOT, outputs_in


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


WRITE_ORDER = ["demo-topic-handout.pdf", "demo-topic-patient-surgery.pdf", "demo-topic-cards.pdf", "demo-topic.apkg",
               "demo-topic.html"]
OUTPUT_NAMES = sorted(WRITE_ORDER)


def test_build_writes_every_output(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", MINIMAL, "--out", tmp_path)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    for line, name in zip(lines, WRITE_ORDER):
        assert re.fullmatch(rf"wrote {re.escape(str(tmp_path / name))} \(\d+\.\d KiB\)", line), line
    assert re.fullmatch(rf"built 5 files from 1 content file into {re.escape(str(tmp_path))}/ in \d+\.\d\d s", lines[5])
    assert "Examplamine is approved" in pdf_inspect.text((tmp_path / "demo-topic-handout.pdf").read_bytes())
    assert outputs_in(tmp_path) == OUTPUT_NAMES


def test_rebuild_is_byte_identical(run_cli, tmp_path: Path) -> None:
    run_cli("build", MINIMAL, "--out", tmp_path / "a")
    run_cli("build", MINIMAL, "--out", tmp_path / "b")
    for name in OUTPUT_NAMES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_check_writes_nothing(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", MINIMAL)
    assert result.code == 0
    assert result.out == f"ok: {MINIMAL} (1 sections, 2 facts, 3 cards, 2 references)\n"
    assert list(tmp_path.iterdir()) == []


def test_invalid_content_writes_nothing_and_exits_1(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.read_text(encoding="utf-8").replace("status: off-label", "status: maybe"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", bad, "--out", out)
    assert result.code == 1
    assert result.err.splitlines()[-1] == "1 error; nothing written"
    assert result.err.startswith(f"{bad}:51:17: sections[0].facts[1].status: 'maybe' is not one of")
    assert not out.exists()


def test_failing_renderer_leaves_earlier_outputs_untouched(run_cli, tmp_path: Path, monkeypatch) -> None:
    run_cli("build", MINIMAL, "--out", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    monkeypatch.setattr(build, "OUTPUTS", failing_outputs.replacing(build.OUTPUTS, failing_outputs.EXPLODING))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 99))
    result = run_cli("build", MINIMAL, "--out", tmp_path)
    assert result.code == 3
    assert "internal error: RuntimeError: renderer exploded" in result.err
    assert "Traceback" not in result.err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_interrupted_write_leaves_no_temporaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old a")
    real_fsync = os.fsync
    calls = []

    def interrupt_second(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupt_second)
    with pytest.raises(KeyboardInterrupt):
        staging.write_atomically({"a.pdf": b"new a", "b.apkg": b"new b"}, tmp_path)
    assert outputs_in(tmp_path) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"


@pytest.mark.parametrize(("args", "code"), [(["check", str(MINIMAL)], 0), (["check", "missing.yaml"], 2),
                                           (["build", str(MINIMAL), "--out", "out"], 0)])
def test_python_dash_m_behaves_like_the_console_script(tmp_path: Path, args: list[str], code: int) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    (tmp_path / "module").mkdir()
    (tmp_path / "console").mkdir()  # each its own output folder: a second build there would find nothing to do
    module = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, env=env,
                            cwd=tmp_path / "module")
    script = Path(sys.executable).with_name("factpack")
    console = subprocess.run([str(script), *args], capture_output=True, text=True, env=env, cwd=tmp_path / "console")
    assert module.returncode == console.returncode == code
    timing = re.compile(r"in \d+\.\d+ s")  # the one thing that differs between two builds
    assert timing.sub("", module.stdout) == timing.sub("", console.stdout) and module.stderr == console.stderr


def test_usage_errors_exit_2(run_cli) -> None:
    with pytest.raises(SystemExit) as caught:
        run_cli("build", "--paper", "a3")
    assert caught.value.code == 2


def test_default_sources_prefer_local_content(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "x.yaml").write_text("format: 1\n", encoding="utf-8")
    assert build.default_sources(tmp_path) == [tmp_path / "content" / "x.yaml"]


def test_default_sources_fall_back_to_shipped_content(tmp_path: Path) -> None:
    shipped = build.default_sources(tmp_path)
    assert [p.name for p in shipped] == sorted(p.name for p in (ROOT / "content").glob("*.yaml"))


@pytest.mark.parametrize("value", ["yesterday", "²", "9" * 20, "253402300800"])
def test_bad_source_date_epoch_is_a_usage_error(run_cli, tmp_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run_cli("build", MINIMAL, "--out", tmp_path)
    assert result.code == 2
    assert result.err == (f"factpack: error: SOURCE_DATE_EPOCH must be whole seconds since 1970 (up to "
                          f"253402300799, the end of 9999), not '{value}'\n")


def _topic_copy(tmp_path: Path, topic_id: str, edit: tuple[str, str] = ("", "")) -> Path:
    """The minimal content under another topic id (so its outputs get their own names), maybe edited."""
    text = MINIMAL.read_text(encoding="utf-8").replace("id: demo-topic", f"id: {topic_id}", 1)
    path = tmp_path / f"{topic_id}.yaml"
    path.write_text(text.replace(*edit), encoding="utf-8")
    return path


def test_the_build_spread_over_workers_writes_what_one_process_writes(run_cli, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import workers

    sources = [MINIMAL, _topic_copy(tmp_path, "second-topic"), _topic_copy(tmp_path, "third-topic")]
    assert run_cli("build", *sources, "--out", tmp_path / "spread").code == 0
    monkeypatch.setattr(workers, "cores", lambda: 1)
    assert run_cli("build", *sources, "--out", tmp_path / "one").code == 0
    names = outputs_in(tmp_path / "one")
    assert len(names) == 15 and names == outputs_in(tmp_path / "spread")
    for name in names:
        assert (tmp_path / "spread" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


def test_problems_of_every_file_are_reported_together(run_cli, tmp_path: Path) -> None:
    first = _topic_copy(tmp_path, "first-topic", ("status: off-label", "status: maybe"))
    second = _topic_copy(tmp_path, "second-topic", ("status: approved", "status: perhaps"))
    result = run_cli("build", first, second, "--out", tmp_path / "out")
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0].startswith(f"{first}:") and "'maybe' is not one of" in lines[0]
    assert lines[1].startswith(f"{second}:") and "'perhaps' is not one of" in lines[1]
    assert lines[2:] == ["2 errors; nothing written"]
    assert not (tmp_path / "out").exists()


def test_two_files_with_one_topic_id_are_a_usage_error(run_cli, tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("build", MINIMAL, copy, "--out", tmp_path / "out")
    assert result.code == 2
    assert result.err == (f"factpack: error: {copy} and {MINIMAL} share the topic id 'demo-topic'; "
                          f"their outputs would overwrite each other\n")
    assert not (tmp_path / "out").exists()


def test_a_bad_file_keeps_every_output_of_the_build_from_being_written(run_cli, tmp_path: Path) -> None:
    good = _topic_copy(tmp_path, "good-topic")
    bad = _topic_copy(tmp_path, "bad-topic", ("status: off-label", "status: maybe"))
    out = tmp_path / "out"
    assert run_cli("build", good, bad, "--out", out).code == 1
    assert not out.exists()
    run_cli("build", good, "--out", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert run_cli("build", good, bad, "--out", out).code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_with_more_files_than_cores_every_problem_is_still_reported(run_cli, tmp_path: Path) -> None:
    sources = [_topic_copy(tmp_path, f"topic-{n}", ("status: off-label", f"status: wrong{n}") if n % 2 else ("", ""))
               for n in range(5)]
    out = tmp_path / "out"
    result = run_cli("build", *sources, "--out", out)
    assert result.code == 1
    assert [line.split(":")[0] for line in result.err.splitlines()[:-1]] == [str(sources[1]), str(sources[3])]
    assert result.err.splitlines()[-1] == "2 errors; nothing written"
    assert not out.exists()
    assert run_cli("build", *sources[::2], "--out", out).code == 0
    assert len(outputs_in(out)) == 15


def test_a_file_named_twice_is_built_and_counted_once(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", MINIMAL, MINIMAL.parent / ".." / "valid" / MINIMAL.name, "--out", tmp_path)
    assert result.code == 0
    assert re.search(r"^built 5 files from 1 content file into", result.out, re.MULTILINE)


def test_two_files_whose_ids_make_one_file_name_are_refused_before_anything_is_written(run_cli, tmp_path: Path) -> None:
    first = _topic_copy(tmp_path, "x", ("  - id: surgery\n", "  - id: y-handout\n"))  # writes x-patient-y-handout.pdf
    second = _topic_copy(tmp_path, "x-patient-y")  # writes x-patient-y-handout.pdf too
    result = run_cli("build", first, second, "--out", tmp_path / "out")
    assert result.code == 2
    assert "would both write x-patient-y-handout.pdf" in result.err
    assert not (tmp_path / "out").exists()
