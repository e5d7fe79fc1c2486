"""Authoring: new topics, the editor schema, lint warnings, stats, partial builds and watch mode."""

from __future__ import annotations

import datetime as dt
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.source.content_format import CONTENT
from generator.source.json_schema import SCHEMA_FILE, content_schema, schema_text
from generator.source.specs import ListOf, Record
from tests.conftest import DATA, EPOCH, KETAMINE, MINIMAL, ROOT, outputs_in


class Yaml12Loader(yaml.SafeLoader):
    """Reads scalars the way the YAML language server does (YAML 1.2 core: dates stay text, 'No' is text)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in ("tag:yaml.org,2002:timestamp",
                                                                     "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def _validate(path: Path) -> list[str]:
    data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=Yaml12Loader)
    validator = jsonschema.Draft202012Validator(content_schema())
    return [error.message for error in validator.iter_errors(data)]


def test_shipped_schema_file_is_generated_from_the_loader() -> None:
    assert (ROOT / "content" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("path", [KETAMINE, MINIMAL, DATA / "valid" / "bom.yaml"], ids=lambda p: p.name)
def test_schema_accepts_what_the_loader_accepts(path: Path) -> None:
    assert _validate(path) == []


@pytest.mark.parametrize("name", ["unknown-key", "missing-field", "wrong-type", "wrong-type-mapping", "invalid-slug",
                                  "invalid-status", "invalid-url", "file-url", "card-both-kinds", "text-too-long"])
def test_schema_rejects_what_the_loader_rejects(name: str) -> None:
    assert _validate(DATA / "invalid" / f"{name}.yaml")


def _field_names(spec, seen=None) -> set[str]:
    seen = set() if seen is None else seen
    if isinstance(spec, ListOf):
        return _field_names(spec.item, seen)
    if isinstance(spec, Record):
        for field in spec.fields:
            seen.add(field.name)
            _field_names(field.spec, seen)
    return seen


def test_every_field_is_documented() -> None:
    doc = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    assert [name for name in sorted(_field_names(CONTENT)) if f"`{name}`" not in doc] == []


def test_new_writes_a_starter_that_builds(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    result = run_cli("new", "aspirin", "--title", 'Aspirin: "the basics"')
    assert result.code == 0, result.err
    starter = tmp_path / "content" / "aspirin.yaml"
    assert starter.read_text(encoding="utf-8").splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    assert (tmp_path / "content" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()
    check = run_cli("check")
    assert check.code == 0 and check.err == "" and "aspirin.yaml" in check.out
    assert run_cli("build").code == 0
    assert outputs_in(tmp_path / "output") == [
        "aspirin-cards.pdf", "aspirin-handout.pdf", "aspirin-patient-overview.pdf", "aspirin.apkg",
        "aspirin.html"]
    assert _validate(starter) == []


def test_new_never_overwrites_and_checks_the_id(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "aspirin").code == 0
    again = run_cli("new", "aspirin")
    assert again.code == 2 and "already exists" in again.err
    bad = run_cli("new", "Aspirin Tablets")
    assert bad.code == 2 and "not a valid topic id" in bad.err
    assert run_cli("new", "abc\n").code == 2
    assert run_cli("new", "blank", "--title", "  ").code == 2


def _variant(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _no_cards(d):
    d["sections"][0]["facts"][1].pop("cards")


def _uncited(d):
    d["references"].append({**d["references"][0], "id": "never-cited"})


def _duplicate_question(d):
    d["sections"][0]["facts"][1]["cards"][0]["question"] = "What is examplamine approved for? <b>"


def _hard_plain(d):
    d["sections"][0]["facts"][0]["plain"] = ("Pharmacokinetic characterisation demonstrates considerable "
                                             "interindividual variability in bioavailability and elimination.")


def _long_answer(d):
    d["sections"][0]["facts"][1]["cards"][0]["answer"] = "word " * 300


def _overdue(d):
    d["topic"]["review_due"] = dt.date(2020, 1, 1)


@pytest.mark.parametrize(("edit", "expected", "count"), [
    (_no_cards, "sections[0].facts[1]: warning: fact 'off-label-use' has no card", 1),
    (_uncited, "references[2]: warning: reference 'never-cited' is never cited", 1),
    (_duplicate_question, "sections[0].facts[1].cards[0].question: warning: the same question as card 'approved-use-q'", 1),
    (_hard_plain, "sections[0]: warning: plain texts of section 'uses' read at Flesch-Kincaid grade", 2),
    (_hard_plain, "patient_sheets[0]: warning: patient sheet 'surgery' reads at Flesch-Kincaid grade", 2),
    (_overdue, "topic.review_due: warning: review was due on 2020-01-01", 1),
])
def test_lint_warns_and_strict_fails(run_cli, tmp_path: Path, edit, expected: str, count: int) -> None:
    path = _variant(tmp_path, edit)
    result = run_cli("check", path)
    assert result.code == 0
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: {re.escape(expected)}", result.err, re.M), result.err
    plural = f"{count} warning{'s' * (count != 1)}"
    assert result.out.endswith(f"; {plural}\n")
    strict = run_cli("check", "--strict", path)
    assert strict.code == 1 and strict.err.endswith(f"{plural}; --strict makes them errors\n")


def test_a_card_too_long_for_a_paper_card_blocks_only_the_card_sheets(run_cli, tmp_path: Path) -> None:
    path = _variant(tmp_path, _long_answer)
    check = run_cli("check", path)
    assert check.code == 1
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: sections\[0\]\.facts\[1\]\.cards\[0\]: card 'off-label-use-q': "
                     rf"its back does not fit on the card .*\(blocks the card sheets; the other outputs are built\)$",
                     check.err, re.M), check.err
    build = run_cli("build", path, "--out", tmp_path / "out")
    assert build.code == 1
    assert build.err.splitlines()[-1] == ("1 error; not written: demo-topic-cards.pdf (the other outputs were "
                                          "written)")
    assert outputs_in(tmp_path / "out") == ["demo-topic-handout.pdf", "demo-topic-patient-surgery.pdf", "demo-topic.apkg",
                                           "demo-topic.html"]


def test_shipped_content_has_no_warnings(run_cli) -> None:
    result = run_cli("check", "--strict", KETAMINE)
    assert result.code == 0, result.err
    assert result.err == ""


def test_stats(run_cli) -> None:
    result = run_cli("stats", MINIMAL)
    assert result.out == (
        f"demo-topic ({MINIMAL})\n"
        "  sections       1\n"
        "  facts          2  (approved 1, off-label 1, investigational 0, not-applicable 0)\n"
        "  cards          3  (question/answer 2 (1 with reverse), cloze 1)\n"
        "  references     2\n"
    )


def test_only_builds_a_subset(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    result = run_cli("build", MINIMAL, "--out", tmp_path, "--only", "anki,handout")
    assert result.code == 0
    assert outputs_in(tmp_path) == ["demo-topic-handout.pdf", "demo-topic.apkg"]
    with pytest.raises(SystemExit) as caught:
        run_cli("build", MINIMAL, "--only", "poster")
    assert caught.value.code == 2


class _Lines:
    """Lines of a process's output, read on a thread so waiting for one never blocks past a timeout."""

    def __init__(self, stream) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.queue.put(line) for line in stream], daemon=True).start()

    def until(self, pattern: str, timeout: float) -> str:
        seen, deadline = "", time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            seen += line
            if re.search(pattern, line):
                return seen
        raise AssertionError(f"no {pattern!r} within {timeout} s; saw:\n{seen}")


def test_watch_rebuilds_when_the_content_changes(tmp_path: Path) -> None:
    content = tmp_path / "topic.yaml"
    content.write_bytes(MINIMAL.read_bytes())
    out = tmp_path / "out"
    # every process reports each module it imports: a rebuild must import genanki no more
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONUNBUFFERED": "1", "PYTHONPROFILEIMPORTTIME": "1"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", str(content), "--out", str(out),
                                "--only", "anki", "--watch"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env)
    try:
        lines = _Lines(process.stdout)
        assert re.search(r"\| +genanki$", lines.until(r"^watching ", 60), re.MULTILINE)
        first = (out / "demo-topic.apkg").read_bytes()
        edited = MINIMAL.read_text(encoding="utf-8").replace("One small trial", "One small old trial")
        content.write_text(edited, encoding="utf-8")
        seen = lines.until(r"^rebuilt in \d+\.\d\d s; watching", 60)
        assert f"changed: {content}" in seen
        assert (out / "demo-topic.apkg").read_bytes() != first
        assert "import time:" not in seen  # the libraries stayed loaded
    finally:
        process.terminate()
        process.wait(10)
