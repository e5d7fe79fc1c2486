"""Hostile input, the second wave: each of the eleven causes a tester found, with a minimal example.

Every example gives a clear error at the field's line and column, and `check` and `build` agree on
it (or it builds, and the real Anki imports the deck). Nothing hangs, nothing exits 3.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from anki.collection import Collection

from generator.source import characters, cloze
from tests.anki_import import import_package
from tests.conftest import EPOCH, MINIMAL, ROOT

MINIMAL_TEXT = MINIMAL.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def _variant(tmp_path: Path, old: str, new: str, name: str = "hostile.yaml") -> Path:
    assert old in MINIMAL_TEXT, old
    path = tmp_path / name
    path.write_text(MINIMAL_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def _refused(run_cli, path: Path, tmp_path: Path) -> str:
    """The first error line, after checking that check and build both refuse the file with exit 1."""
    check = run_cli("check", path)
    build = run_cli("build", path, "--out", tmp_path / "out")
    assert check.code == build.code == 1, (check.err, build.err)
    assert check.err.splitlines()[0] == build.err.splitlines()[0]
    assert not (tmp_path / "out").exists()
    return check.err.splitlines()[0]


# 1. Anchors, aliases and tags, wherever they are written

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("cells: {route: Intravenous, onset: 30 seconds}", 'cells: {"route":&a Intravenous, onset: 30 seconds}',
     "63:29: anchors (&name) are not allowed in content files"),
    ("tags: [anesthesia]", "tags: &t [anesthesia]", "41:15: anchors (&name) are not allowed in content files"),
    ("answer: No", "answer: !!str No", "45:21: YAML tags are not allowed ('!!str')"),
    ("answer: No", "answer: ! No", "45:21: YAML tags are not allowed ('!')"),
])
def test_anchors_and_tags_are_refused_wherever_they_stand(run_cli, tmp_path: Path, old: str, new: str,
                                                          expected: str) -> None:
    path = _variant(tmp_path, old, new)
    assert _refused(run_cli, path, tmp_path) == f"{path}:{expected}"


def test_an_alias_bomb_in_a_flow_mapping_is_refused_before_it_is_followed(run_cli, tmp_path: Path) -> None:
    bomb = "".join(f'  "l{i}":&l{i} [' + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    path = tmp_path / "bomb.yaml"
    path.write_text('extra: {"l0":&l0 [x],\n' + bomb.replace("\n", ",\n").rstrip(",\n") + "}\n" + MINIMAL_TEXT,
                    encoding="utf-8")
    first = _refused(run_cli, path, tmp_path)
    assert first == f"{path}:1:14: anchors (&name) are not allowed in content files (9 more in this file)"


# 2. A cloze field that made the old pattern backtrack for seconds

def test_a_hostile_cloze_field_is_read_in_one_pass(run_cli, tmp_path: Path) -> None:
    hostile = "{{c1::" * 830 + "x"  # 4,981 characters, no closing braces
    path = _variant(tmp_path, '"Examplamine is approved for the {{c1::induction of anesthesia}}."', f'"{hostile}"')
    done = subprocess.run([sys.executable, "-m", "generator", "check", str(path)], capture_output=True, text=True,
                          timeout=10, cwd=ROOT)  # a guard against a hang, not a timing
    assert done.returncode == 1
    assert "a cloze card needs at least one deletion" in done.stderr


# 3 and 4. Numbers and shapes that crashed the build or that Anki refuses

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("year: 2024", "year: " + "9" * 5000, "21:11: references[0].year: '99999999999999999999999999999999999999999999999"
                                          "999999999999…' is out of range: use 1000 to 2100"),
    ("{{c1::induction of anesthesia}}", "{{c" + "9" * 25 + "::induction of anesthesia}}",
     "48:20: sections[0].facts[0].cards[1].cloze: '{{c9999999999999999999999999::induction…': cloze numbers run "
     "from 1 to 999"),
    ("{{c1::induction of anesthesia}}", "{{c65536::induction}}",
     "48:20: sections[0].facts[0].cards[1].cloze: '{{c65536::induction}}': cloze numbers run from 1 to 999"),
    ("{{c1::induction of anesthesia}}", "{{c1::::hint}}",
     "48:20: sections[0].facts[0].cards[1].cloze: '{{c1::::hint}}': the deletion hides nothing; put the answer "
     "after '::'"),
    ("          - {id: onset, title: Onset}",
     "\n".join(f"          - {{id: c{i}, title: C{i}}}" for i in range(36)),
     "59:11: sections[0].tables[0].columns: has 37 items; the limit is 8"),
    ("title: Uses", "title: 'Uses::IV'",
     "33:12: sections[0].title: names an Anki deck, so it cannot hold '::' or begin or end with ':'"),
    ("title: Uses", "title: ':'", "33:12: sections[0].title: names an Anki deck, so it cannot hold '::' or begin "
                                  "or end with ':'"),
    ("title: Demo topic", "title: 'Demo topic:'", "5:10: topic.title: names an Anki deck, so it cannot hold '::' or "
                                                  "begin or end with ':'"),
])
def test_numbers_and_shapes_beyond_the_limits_are_positioned_errors(run_cli, tmp_path: Path, old: str, new: str,
                                                                    expected: str) -> None:
    path = _variant(tmp_path, old, new)
    assert _refused(run_cli, path, tmp_path) == f"{path}:{expected}"


def test_titles_that_differ_only_in_unicode_form_are_one_deck(run_cli, tmp_path: Path) -> None:
    second = ("patient_sheets:", "  - id: more\n    title: \"Cafe\\u0301\"\n    intro: More.\n    facts:\n"
                                "      - {id: more-fact, text: More text., status: not-applicable, sources: [label-a]}\n"
                                "patient_sheets:")
    path = _variant(tmp_path, "title: Uses", "title: Café")
    path.write_text(path.read_text(encoding="utf-8").replace(*second), encoding="utf-8")
    assert _refused(run_cli, path, tmp_path).endswith(
        "sections[1].title: same title as section 'uses' once case is ignored; Anki would merge their decks")


def test_a_title_with_a_single_colon_builds_a_deck_the_real_anki_imports(run_cli, tmp_path: Path) -> None:
    path = _variant(tmp_path, "title: Uses", "title: 'Uses: IV and IM'")
    assert run_cli("check", path).code == 0
    assert run_cli("build", path, "--out", tmp_path / "out", "--only", "anki").code == 0
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        log = import_package(collection, tmp_path / "out" / "demo-topic.apkg")
        assert log.new == 3
        assert "Demo topic::Uses: IV and IM" in {deck.name for deck in collection.decks.all_names_and_ids()}
    finally:
        collection.close()


# 6. Control characters in what a content file makes us print

def test_messages_never_carry_control_characters(run_cli, tmp_path: Path) -> None:
    path = _variant(tmp_path, "  audience:", '  "\\e]0;owned\\a\\e[2J": unknown\n  audience:')
    result = run_cli("check", path)
    assert result.code == 1
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "\\x1b]0;owned\\x07\\x1b[2J" in result.err


# 7. Work that grew with the square of the file, and a file read whole before its size was refused

def test_thousands_of_unknown_citations_are_reported_without_a_suggestion_each(run_cli, tmp_path: Path) -> None:
    facts = "".join(f"      - {{id: f{i}, text: Fact {i}., status: approved, sources: [label-{i}]}}\n"
                    for i in range(3000))
    path = _variant(tmp_path, "    tables:", facts + "    tables:")
    done = subprocess.run([sys.executable, "-m", "generator", "check", str(path)], capture_output=True, text=True,
                          timeout=30, cwd=ROOT)  # a guard against a hang, not a timing
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[-1] == "3,000 errors; content is not valid".replace(",", "")
    assert sum("did you mean" in line for line in lines) == 100


def test_a_huge_file_is_refused_before_it_is_read(run_cli, tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as stream:
        stream.truncate(3 * 1024 ** 3)  # a sparse file: 3 GiB that take no room on the disk
    result = run_cli("check", huge)
    assert result.code == 1
    assert result.err.startswith(f"{huge}:1:1: the file is 3,221,225,472 bytes; the limit is 2,097,152 bytes")


# 8. Failures of the machine, not of the content: exit 2 with a message, never a traceback

def _python_m(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), **kwargs.pop("env", {})}
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=kwargs.pop("capture", True),
                          env=env, cwd=ROOT, **kwargs)


def test_an_unreadable_content_file_is_exit_2(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import build

    def unreadable(path: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(build, "read_bytes", unreadable)
    result = run_cli("build", MINIMAL, "--out", tmp_path / "out")
    assert result.code == 2
    assert result.err == f"factpack: error: cannot read {MINIMAL}: Permission denied\n"


def test_an_output_folder_name_too_long_is_exit_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", MINIMAL, "--out", tmp_path / ("x" * 300))
    assert result.code == 2
    assert result.err.startswith("factpack: error: ") and "File name too long" in result.err
    assert "Traceback" not in result.err


def test_a_full_output_stream_is_exit_2(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = _python_m("stats", str(MINIMAL), stdout=full, stderr=subprocess.PIPE, text=True, capture=False)
    assert done.returncode == 2
    assert done.stderr == "factpack: error: No space left on device\n"


def test_a_terminal_that_cannot_show_a_character_gets_an_escape(tmp_path: Path) -> None:
    path = tmp_path / "kétamine.yaml"
    path.write_bytes(MINIMAL.read_bytes())
    done = _python_m("check", str(path), env={"PYTHONIOENCODING": "ascii"}, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok: {tmp_path}/k\\xe9tamine.yaml")


@pytest.mark.parametrize(("title", "expected"), [
    (b"\xff\xfe", "factpack: error: --title holds bytes that are not UTF-8 text\n"),
    ("Rubbish \x7f bin".encode(), "factpack: error: --title cannot be used: character U+007F is not allowed in YAML; "
                                  "remove it\n"),
    ("Pills 💊".encode(), "factpack: error: --title cannot be used: the font cannot print '💊' (U+1F48A); replace "
                         "or remove it\n"),
])
def test_new_refuses_a_title_its_own_check_would_refuse(tmp_path: Path, title: bytes, expected: str) -> None:
    done = subprocess.run([sys.executable.encode(), b"-m", b"generator", b"new", b"aspirin", b"--title", title,
                           b"--dir", str(tmp_path).encode()], capture_output=True, cwd=ROOT)
    assert done.returncode == 2
    assert done.stderr.decode("utf-8", "backslashreplace") == expected
    assert list(tmp_path.iterdir()) == []


# 9. Errors that had no usable position

def test_too_many_key_points_is_a_positioned_error(run_cli, tmp_path: Path) -> None:
    extra = "".join(f"      - {{id: k{i}, text: Point {i}., status: not-applicable, sources: [label-a]}}\n"
                    for i in range(8))
    path = _variant(tmp_path, "    tables:", extra + "    tables:")
    path.write_text(path.read_text(encoding="utf-8").replace("    tables:", "", 1).split("      - id: routes")[0]
                    + "key_points: uses\n" + "patient_sheets:" + MINIMAL_TEXT.split("patient_sheets:")[1],
                    encoding="utf-8")
    assert _refused(run_cli, path, tmp_path).endswith(
        "36:7: sections[0].facts: the key-points section has 10 facts; its box holds at most 8")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("disclaimer: For education only;", "disclaimer: " + "Long " * 250 + "For education only;",
     "14:15: topic.disclaimer: is 1,314 characters long; the limit is 1,000"),
    ("id: demo-topic", "id: " + "t" * 70, "4:7: topic.id: is 70 characters long; the limit is 64"),
])
def test_lengths_that_broke_the_layout_or_the_file_names_are_positioned(run_cli, tmp_path: Path, old: str,
                                                                        new: str, expected: str) -> None:
    path = _variant(tmp_path, old, new)
    assert _refused(run_cli, path, tmp_path) == f"{path}:{expected}"


def test_a_file_with_old_mac_line_ends_reports_the_right_line(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "cr.yaml"
    path.write_bytes(MINIMAL.read_bytes().replace(b"\n", b"\r").replace(b"status: off-label", b"status: \xff"))
    assert _refused(run_cli, path, tmp_path).startswith(f"{path}:51:17: bytes that are not UTF-8")


# 10. Text that shows nothing, or shows something else than it says

@pytest.mark.parametrize(("answer", "expected"), [
    ('"\\u2800"', "shows nothing"), ('"\\u200b"', "invisible character U+200B"),
    ('"\\u2060"', "invisible character U+2060"), ('"\\u0301"', "shows nothing"),
    ('"1\\u202e0 mg"', "bidirectional control U+202E"),
])
def test_invisible_or_reordering_text_is_refused(run_cli, tmp_path: Path, answer: str, expected: str) -> None:
    path = _variant(tmp_path, "answer: No", f"answer: {answer}")
    line = _refused(run_cli, path, tmp_path)
    assert line.startswith(f"{path}:45:21: sections[0].facts[0].cards[0].answer: ") and expected in line


def test_soft_hyphens_and_joiners_stay_allowed() -> None:
    assert characters.problem("an\u00adesthesia") is None
    assert characters.problem("zero\u200cwidth\u200djoiners") is None


def test_the_invisible_characters_refused_are_unicodes_format_characters() -> None:
    import unicodedata

    refused = {char for char in map(chr, range(0x110000)) if characters.problem("a" + char) is not None}
    format_characters = {char for char in map(chr, range(0x110000)) if unicodedata.category(char) == "Cf"}
    controls = {char for char in map(chr, range(0x110000)) if unicodedata.category(char) == "Cc"} - set("\n\t")
    assert format_characters - characters.ALLOWED_FORMAT <= refused
    assert controls <= refused - {"\r"} | {"\r"}
    assert {c for c in refused if unicodedata.category(c) not in ("Cf", "Cc", "Cn")} == set()


def test_the_cloze_scanner_agrees_with_anki_on_ordinary_deletions() -> None:
    text = "Dose {{c1::1–4.5 mg/kg}} over {{c2::60 seconds::time}}; {{c1::again}}."
    assert [(d.number, d.answer, d.hint) for d in cloze.parse(text)] == [
        (1, "1–4.5 mg/kg", None), (2, "60 seconds", "time"), (1, "again", None)]
    assert cloze.problem(text) is None
