"""The pipeline's promises: one list of outputs, a format that cannot drop a field, no library loaded
that an output does not need, no work redone when nothing changed, and a package that runs where
fork and SIGHUP do not exist."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator import unchanged
from generator.outputs import BY_NAME, CARD_SIZES, DUPLEX_MODES, OUTPUTS
from generator.outputs.pdf import card_layout, fonts, printable
from generator.source.specs import Field, Record, Text
from tests.conftest import EPOCH, MINIMAL, ROOT, outputs_in


def test_every_output_is_listed_once_with_a_renderer_of_the_common_contract() -> None:
    import importlib
    import inspect

    assert [output.name for output in OUTPUTS] == list(BY_NAME) == ["handout", "patient", "cards", "anki", "html"]
    for output in OUTPUTS:
        render = importlib.import_module(output.module).render
        assert list(inspect.signature(render).parameters) == ["content", "options"], output.module


def test_the_command_line_offers_what_the_card_layout_knows() -> None:
    assert CARD_SIZES == tuple(card_layout.CARD_SIZES) and DUPLEX_MODES == card_layout.DUPLEX_MODES


@dataclasses.dataclass(frozen=True)
class _Model:
    id: str
    title: str


def test_a_format_field_the_model_lacks_fails_at_import_time() -> None:
    with pytest.raises(TypeError, match=r"fields without an attribute \['subtitle'\]"):
        Record("Thing", (Field("id", Text()), Field("title", Text()), Field("subtitle", Text())), model=_Model)


def test_a_model_attribute_no_field_fills_fails_at_import_time() -> None:
    with pytest.raises(TypeError, match=r"attributes without a field \['title'\]"):
        Record("Thing", (Field("id", Text()),), model=_Model)


def test_the_coverage_file_is_what_the_fonts_hold() -> None:
    """If this fails after changing the fonts, regenerate generator/fonts/coverage.txt with
    printable.ranges_text(fonts.code_points())."""
    stored = (ROOT / "generator" / "fonts" / printable.COVERAGE_FILE).read_text(encoding="ascii")
    assert stored == printable.ranges_text(fonts.code_points())


def _python(code: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=cwd)


def test_only_anki_loads_neither_reportlab_nor_the_fonts(tmp_path: Path) -> None:
    done = _python("import sys\nfrom generator.cli import main\ncode = main(sys.argv[1:])\n"
                   "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('reportlab')}), code)",
                   "build", str(MINIMAL), "--only", "anki", "--out", str(tmp_path))
    assert done.stdout.splitlines()[-1] == "[] 0", done.stderr
    assert outputs_in(tmp_path) == ["demo-topic.apkg"]


def test_check_loads_no_reportlab_for_valid_content_it_cannot_lay_out() -> None:
    done = _python("import sys\nfrom generator.cli import main\nfrom generator.build import load_all\n"
                   "from pathlib import Path\nload_all([Path(sys.argv[1])])\n"
                   "print(any(m.startswith('reportlab') for m in sys.modules))", str(MINIMAL))
    assert done.stdout.strip() == "False", done.stderr


def test_the_package_runs_where_fork_and_sighup_do_not_exist(tmp_path: Path) -> None:
    done = _python("import os, signal, sys\n"
                   "for name in ('fork', 'sched_getaffinity', 'killpg'):\n    os.__dict__.pop(name, None)\n"
                   "signal.__dict__.pop('SIGHUP', None)\n"
                   "from generator import cli\nsys.argv = ['factpack', *sys.argv[1:]]\ncli.run()",
                   "check", str(MINIMAL))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")


def _stamps(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}


def test_a_rebuild_with_nothing_changed_touches_no_file(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert run_cli("build", MINIMAL, "--out", tmp_path).code == 0
    before = _stamps(tmp_path)
    again = run_cli("build", MINIMAL, "--out", tmp_path)
    assert again.code == 0
    assert again.out.splitlines()[:5] == [f"unchanged {tmp_path / name}" for name in
                                          ("demo-topic-handout.pdf", "demo-topic-patient-surgery.pdf",
                                           "demo-topic-cards.pdf", "demo-topic.apkg", "demo-topic.html")]
    assert again.out.splitlines()[5].startswith(f"built 0 files (5 unchanged) from 1 content file into {tmp_path}/")
    assert _stamps(tmp_path) == before


def test_what_changed_is_rebuilt_and_nothing_else(run_cli, tmp_path: Path, minimal_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    out = tmp_path / "out"
    assert run_cli("build", minimal_copy, "--out", out).code == 0
    (out / "demo-topic-cards.pdf").write_bytes(b"damaged")  # an output that no longer holds what was written
    rebuilt = run_cli("build", minimal_copy, "--out", out)
    assert [line.split()[0] for line in rebuilt.out.splitlines()[:5]] == ["wrote", "unchanged", "unchanged",
                                                                          "unchanged", "unchanged"]
    assert (out / "demo-topic-cards.pdf").read_bytes().startswith(b"%PDF")
    assert run_cli("build", minimal_copy, "--out", out, "--paper", "letter").out.count("wrote") == 3  # not the deck, not the web page
    minimal_copy.write_text(minimal_copy.read_text(encoding="utf-8").replace("Examplamine", "Examplamine®"),
                            encoding="utf-8")
    assert run_cli("build", minimal_copy, "--out", out, "--paper", "letter").out.count("wrote") == 5


def test_changed_code_or_options_make_a_different_key() -> None:
    handout = BY_NAME["handout"]
    from generator.outputs import Options

    first = unchanged.key(b"content", handout, Options(EPOCH))
    assert first == unchanged.key(b"content", handout, Options(EPOCH))
    assert first != unchanged.key(b"content!", handout, Options(EPOCH))
    assert first != unchanged.key(b"content", BY_NAME["cards"], Options(EPOCH))
    assert first != unchanged.key(b"content", handout, Options(EPOCH + 1))
    assert first != unchanged.key(b"content", handout, Options(EPOCH, paper="letter"))
    assert first == unchanged.key(b"content", handout, Options(EPOCH, duplex="none"))  # not a handout option


SECOND_SHEET = """  - id: at-home
    title: After your operation
    main_message: [approved-use]
    sections:
      - title: What it was for
        facts: [approved-use]
"""


def test_each_patient_sheet_is_its_own_file_and_is_kept_while_it_is_current(run_cli, tmp_path: Path,
                                                                            minimal_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    minimal_copy.write_text(minimal_copy.read_text(encoding="utf-8") + SECOND_SHEET, encoding="utf-8")
    out = tmp_path / "out"
    first = run_cli("build", minimal_copy, "--out", out, "--only", "patient")
    assert first.code == 0
    assert outputs_in(out) == ["demo-topic-patient-at-home.pdf", "demo-topic-patient-surgery.pdf"]
    assert (out / "demo-topic-patient-at-home.pdf").read_bytes() != (out / "demo-topic-patient-surgery.pdf").read_bytes()
    before = _stamps(out)
    kept = run_cli("build", minimal_copy, "--out", out, "--only", "patient").out.splitlines()
    assert kept[:2] == [f"unchanged {out / name}" for name in outputs_in(out)]
    assert _stamps(out) == before
    (out / "demo-topic-patient-at-home.pdf").unlink()  # one sheet of the output gone: the output is made again
    again = run_cli("build", minimal_copy, "--out", out, "--only", "patient")
    assert [line.split()[0] for line in again.out.splitlines()[:2]] == ["wrote", "wrote"]
    assert outputs_in(out) == ["demo-topic-patient-at-home.pdf", "demo-topic-patient-surgery.pdf"]


def test_two_patient_sheets_cannot_share_an_id(run_cli, minimal_copy: Path) -> None:
    minimal_copy.write_text(minimal_copy.read_text(encoding="utf-8") + SECOND_SHEET.replace("at-home", "surgery"),
                            encoding="utf-8")
    result = run_cli("check", minimal_copy)
    assert result.code == 1
    assert "patient_sheets[1].id: duplicate patient sheet id 'surgery' (first at line 69)" in result.err


def test_going_back_to_an_earlier_version_never_keeps_a_sheet_of_another(run_cli, tmp_path: Path,
                                                                         minimal_copy: Path, monkeypatch) -> None:
    """v1 has two sheets, v2 one (reworded), then v1 again: both of v1's sheets are made again, since the
    manifest knows v1's output had two files and one of them now holds v2's text."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    out = tmp_path / "out"
    v1 = minimal_copy.read_text(encoding="utf-8") + SECOND_SHEET
    v2 = minimal_copy.read_text(encoding="utf-8").replace("Doctors use it to put people to sleep for surgery.",
                                                           "Doctors use it for sleep during an operation.")
    for text in (v1, v2, v1):
        minimal_copy.write_text(text, encoding="utf-8")
        assert run_cli("build", minimal_copy, "--out", out, "--only", "patient").code == 0
    from tests import pdf_inspect

    assert "put people to sleep for surgery" in pdf_inspect.text((out / "demo-topic-patient-surgery.pdf").read_bytes())


def test_an_output_with_a_sheet_that_failed_is_tried_again_and_the_error_said_again(run_cli, tmp_path: Path,
                                                                                    minimal_copy: Path,
                                                                                    monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    long_sheet = SECOND_SHEET.replace("at-home", "long") + "".join(
        f"      - title: Part {n}\n        facts: [approved-use]\n" for n in range(40))
    minimal_copy.write_text(minimal_copy.read_text(encoding="utf-8") + long_sheet, encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):
        result = run_cli("build", minimal_copy, "--out", out, "--only", "patient")
        assert result.code == 1 and "not written: demo-topic-patient-long.pdf" in result.err


def test_a_reinstalled_or_upgraded_library_is_a_different_installed_copy(tmp_path: Path, monkeypatch) -> None:
    """An upgrade changes the version in the distribution record's name, a reinstall rewrites the package
    file (same size, new time); the code key sees both without importing the library, and a library in a
    zip file does not stop the build."""
    package = tmp_path / "fakelib"
    package.mkdir()
    (package / "__init__.py").write_text("VERSION = 1\n", encoding="utf-8")
    (tmp_path / "fakelib-1.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    first = unchanged._installed("fakelib", "fakelib")
    assert "fakelib-1.0.dist-info" in first
    (package / "__init__.py").write_text("VERSION = 2\n", encoding="utf-8")  # same size
    os.utime(package / "__init__.py", ns=(1, 1))
    reinstalled = unchanged._installed("fakelib", "fakelib")
    assert reinstalled != first
    (tmp_path / "fakelib-1.0.dist-info").rename(tmp_path / "fakelib-1.1.dist-info")
    assert unchanged._installed("fakelib", "fakelib") not in (first, reinstalled)
    assert "fakelib" not in sys.modules
    assert unchanged._installed("no_such_library_here", "none") == "none"

    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("ziplib/__init__.py", "VERSION = 1\n")
    monkeypatch.syspath_prepend(str(archive))
    assert unchanged._installed("ziplib", "ziplib").endswith("ziplib/__init__.py")
