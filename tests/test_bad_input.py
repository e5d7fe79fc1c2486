"""Bad input never crashes, never corrupts: every malformed file gets exit code 1 and a positioned message."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator import build
from tests import failing_outputs
from tests.conftest import DATA, EPOCH, MINIMAL

INVALID = DATA / "invalid"

# fixture -> the first line `factpack build` prints, after "FILE:"
FIRST_MESSAGE = {
    "url-with-quote": "21:10: references[0].url: 'https://example.org/a\"b' is not an http(s) URL such as https://example.org/page",
    "unicode-digit-year": "20:11: references[0].year: expected a whole number, found '²'",
    "title-too-long": "32:12: sections[0].title: is 204 characters long; the limit is 200",
    "cloze-c0": "47:20: sections[0].facts[0].cards[1].cloze: '{{c0::induction of anesthesia}}': cloze numbers run from 1 to 999",
    "key-points-with-table": "55:7: sections[0].tables: the key-points section is printed as a box of facts and cannot hold tables",
    "same-section-title": "68:12: sections[1].title: same title as section 'uses' once case is ignored; Anki would merge their decks",
    "alias-bomb": "2:5: anchors (&name) are not allowed in content files (8 more in this file)",
    "alias": "9:14: aliases (*name) are not allowed in content files",
    "anchor": "9:14: anchors (&name) are not allowed in content files",
    "card-both-kinds": "42:13: sections[0].facts[0].cards[0]: a card has either 'question' and 'answer', or 'cloze', not both",
    "cloze-without-deletion": "47:20: sections[0].facts[0].cards[1].cloze: a cloze card needs at least one deletion such as {{c1::answer}}",
    "control-character": "4:14: character U+0007 is not allowed in YAML; remove it",
    "data-url": "21:10: references[0].url: 'data:text/html,<script>alert(1)</script>' is not an http(s) URL such as https://example.org/page",
    "duplicate-id": "53:18: sections[0].facts[1].cards[0].id: duplicate card id 'approved-use-c' (first at line 46)",
    "duplicate-key": "13:3: topic.version: duplicate key 'version' (first at line 12)",
    "empty": "1:1: the file is empty; see docs/content-format.md for an example",
    "file-url": "21:10: references[0].url: 'file:///etc/passwd' is not an http(s) URL such as https://example.org/page",
    "format-version": "1:9: format: format 1 is not supported; this factpack reads format 2; format 2 replaced 'patient_sheet' with 'patient_sheets', a list of sheets each with an 'id' and a 'title' (docs/content-format.md)",
    "invalid-date": "11:15: topic.review_due: '2027-02-30' is not a valid date (use YYYY-MM-DD)",
    "invalid-slug": "48:13: sections[0].facts[1].id: 'Off_label use' is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit",
    "invalid-status": "50:17: sections[0].facts[1].status: 'offlabel' is not one of: approved, off-label, investigational, not-applicable (did you mean 'off-label'?)",
    "invalid-url": "21:10: references[0].url: 'javascript:alert(1)' is not an http(s) URL such as https://example.org/page",
    "missing-field": "3:3: topic: missing required field 'title'",
    "not-utf8": "4:24: bytes that are not UTF-8 at byte offset 57; save the file as UTF-8",
    "nul-byte": "5:12: a NUL byte at byte offset 65; content files are UTF-8 text",
    "patient-fact-without-plain": "70:20: patient_sheets[0].main_message[0]: fact 'off-label-use' has no 'plain' text for the patient sheet",
    "python-tag": "4:10: YAML tags are not allowed ('!!python/object/apply:os.system')",
    "root-not-mapping": "1:1: expected a mapping, found a list",
    "tab": "4:1: a tab character; indent with spaces",
    "text-too-long": "33:12: sections[0].intro: is 5,001 characters long; the limit is 5,000",
    "two-documents": "2:1: more than one YAML document ('---'); a content file holds one",
    "unknown-column": "65:43: sections[0].tables[0].rows[1].cells.onste: unknown column 'onste' (did you mean 'onset'?)",
    "unknown-key": "5:3: topic.subtitel: unknown field 'subtitel' (did you mean 'subtitle'?)",
    "unknown-source": "51:28: sections[0].facts[1].sources[1]: unknown reference 'lable-a' (did you mean 'label-a'?)",
    "unprintable": "37:16: sections[0].facts[0].plain: the font cannot print '🛌' (U+1F6CC); replace or remove it",
    "wrong-type-mapping": "34:7: sections[0].intro: expected a text, found a mapping",
    "wrong-type": "8:12: topic.authors: expected a list, found a text",
    "yaml-bad-escape": "12:17: YAML syntax error: while scanning a double-quoted scalar (line 12), found unknown escape character 'q'",
    "yaml-bad-indent": "5:12: YAML syntax error: a ':' where none was expected; check this line's indentation, or quote a text that contains ': '",
    "yaml-syntax": "12:13: YAML syntax error: while parsing a block mapping (line 3), expected <block end>, but found '<scalar>'",
    "yaml-unclosed-flow": "9:12: YAML syntax error: while parsing a flow sequence (line 8), expected ',' or ']', but got ':'",
}


ERROR_COUNT = {"alias-bomb": 2}  # its anchors, then its aliases


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def test_every_fixture_has_an_expectation() -> None:
    assert {p.stem for p in INVALID.glob("*.yaml")} == set(FIRST_MESSAGE)


@pytest.mark.parametrize("name", sorted(FIRST_MESSAGE))
def test_bad_file_exits_1_with_exact_message_and_writes_nothing(run_cli, tmp_path: Path, name: str) -> None:
    path = INVALID / f"{name}.yaml"
    out = tmp_path / "out"
    result = run_cli("build", path, "--out", out)
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == f"{path}:{FIRST_MESSAGE[name]}"
    count = ERROR_COUNT.get(name, 1)
    assert lines[-1] == f"{count} error{'s' * (count > 1)}; nothing written"
    assert "Traceback" not in result.err
    assert not out.exists()


def test_file_over_the_size_limit(run_cli, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(MINIMAL.read_bytes() + b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    result = run_cli("check", big)
    assert result.code == 1
    assert result.err.startswith(f"{big}:1:1: the file is {big.stat().st_size:,} bytes; the limit is 2,097,152 bytes")


def test_deep_nesting_is_a_content_error(run_cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("format: 1\ntopic: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    result = run_cli("check", deep)
    assert result.code == 1
    assert result.err.startswith(f"{deep}:2:1007: the file nests lists or mappings too deeply")


def test_bom_is_accepted(run_cli) -> None:
    assert run_cli("check", DATA / "valid" / "bom.yaml").code == 0


def test_invalid_content_leaves_earlier_outputs_untouched(run_cli, tmp_path: Path) -> None:
    run_cli("build", MINIMAL, "--out", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    broken = tmp_path.parent / "broken.yaml"
    broken.write_text(MINIMAL.read_text(encoding="utf-8").replace("format: 2", "format: [2]"), encoding="utf-8")
    assert run_cli("build", broken, "--out", tmp_path).code == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_full_disk_leaves_earlier_outputs_and_no_temporaries(run_cli, tmp_path: Path, monkeypatch) -> None:
    run_cli("build", MINIMAL, "--out", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_fsync = os.fsync
    calls = []

    def disk_full_on_second_file(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full_on_second_file)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 1))
    result = run_cli("build", MINIMAL, "--out", tmp_path)
    assert result.code == 2
    assert result.err == f"factpack: error: cannot write to {tmp_path}: No space left on device; earlier outputs are unchanged\n"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_interrupt_during_render_leaves_earlier_outputs(run_cli, tmp_path: Path, monkeypatch) -> None:
    run_cli("build", MINIMAL, "--out", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    monkeypatch.setattr(build, "OUTPUTS", failing_outputs.replacing(build.OUTPUTS, failing_outputs.INTERRUPTED))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 1))  # new outputs would differ from the old ones
    result = run_cli("build", MINIMAL, "--out", tmp_path)
    assert result.code == 130
    assert result.err == "factpack: interrupted; earlier outputs are unchanged\n"
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_every_problem_is_reported_at_once_fonts_included(run_cli, tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("status: off-label", "status: maybe")
    text = text.replace("plain: Doctors use it", "plain: 💊 Doctors use it")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", path)
    assert result.code == 1
    assert "the font cannot print '💊'" in result.err and "'maybe' is not one of" in result.err
    assert result.err.splitlines()[-1] == "2 errors; content is not valid"


def test_a_folder_where_an_output_goes_stops_before_anything_is_replaced(run_cli, tmp_path: Path,
                                                                          monkeypatch) -> None:
    run_cli("build", MINIMAL, "--out", tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    (tmp_path / "demo-topic.apkg").unlink()
    (tmp_path / "demo-topic.apkg").mkdir()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 1))  # new outputs would differ from the old ones
    result = run_cli("build", MINIMAL, "--out", tmp_path)
    assert result.code == 2 and "is a folder" in result.err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == {
        k: v for k, v in before.items() if k != "demo-topic.apkg"}


def test_a_folder_or_a_repeated_file_as_content(run_cli, tmp_path: Path) -> None:
    folder = run_cli("check", tmp_path)
    assert folder.code == 2 and folder.err == f"factpack: error: {tmp_path} is a folder; give content files (CONTENT.yaml)\n"
    twice = run_cli("check", MINIMAL, MINIMAL)
    assert twice.code == 0 and twice.out.count("ok:") == 1


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_cell_too_long_for_a_table_row_is_a_positioned_error(run_cli, tmp_path: Path, command: str) -> None:
    path = tmp_path / "tall.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8").replace(
        "cells: {route: Intravenous, onset: 30 seconds}", "cells: {route: Intravenous, onset: '" + "word " * 900 + "'}"),
        encoding="utf-8")
    result = run_cli(command, path, *(["--out", tmp_path / "out"] if command == "build" else []))
    assert result.code == 1
    assert result.err.splitlines()[0] == (f"{path}:63:48: sections[0].tables[0].rows[0].cells.onset: "
                                          f"is 4,499 characters long; the limit is 300")


@pytest.mark.parametrize(("line", "message"), [
    ("<<: {extra: 1}", "1:1: merge keys (<<) are not allowed in content files"),
    ("extra: !!binary aGk=", "1:8: YAML tags are not allowed ('!!binary')"),
    ("extra: =", "1:8: YAML tags are not allowed ('!!value')"),
])
def test_tags_a_plain_file_cannot_hold_are_refused(run_cli, tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(line + "\n" + MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("check", path)
    assert result.code == 1
    assert result.err.splitlines()[0] == f"{path}:{message}"
