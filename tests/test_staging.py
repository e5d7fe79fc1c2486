"""Staging outputs: temporaries beside their final names, renamed together; a failed build leaves no trace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.source.errors import UsageError
from generator.staging import Stage, write_atomically


def test_staged_files_appear_only_when_published(tmp_path: Path) -> None:
    stage = Stage.begin(tmp_path)
    staged = {"a.pdf": stage.put("a.pdf", b"new a"), "b.apkg": stage.put("b.apkg", b"new b")}
    assert not (tmp_path / "a.pdf").exists() and len(list(tmp_path.iterdir())) == 2  # two temporaries
    written = stage.publish(staged)
    assert [(w.path.name, w.size) for w in written] == [("a.pdf", 5), ("b.apkg", 5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.apkg"]
    assert (tmp_path / "a.pdf").read_bytes() == b"new a"


def test_published_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomically({"a.pdf": b"x"}, tmp_path)
    finally:
        os.umask(old)
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644


def test_discard_removes_this_builds_temporaries_from_any_process_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old a")
    (tmp_path / ".notes.txt").write_text("the user's own file")
    stage, other = Stage.begin(tmp_path), Stage.begin(tmp_path)
    stage.put("a.pdf", b"new a")
    kept = other.put("a.pdf", b"another build's")
    if os.fork() == 0:  # a child stages under the same token, as a build process does
        stage.put("b.apkg", b"from a child")
        os._exit(0)
    os.wait()
    stage.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".notes.txt", "a.pdf", kept.temp.name])
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"


def test_discard_removes_the_folders_the_build_made(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "out"
    stage = Stage.begin(out)
    stage.put("a.pdf", b"x")
    stage.discard()
    assert list(tmp_path.iterdir()) == []


def test_discard_keeps_a_made_folder_that_something_else_wrote_into(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stage = Stage.begin(out)
    stage.put("a.pdf", b"x")
    (out / "mine.txt").write_text("written meanwhile")
    stage.discard()
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_a_folder_in_the_way_stops_the_publish_before_any_rename(tmp_path: Path) -> None:
    (tmp_path / "b.apkg").mkdir()
    stage = Stage.begin(tmp_path)
    staged = {"a.pdf": stage.put("a.pdf", b"a"), "b.apkg": stage.put("b.apkg", b"b")}
    with pytest.raises(UsageError, match="is a folder; move it away"):
        stage.publish(staged)
    assert not (tmp_path / "a.pdf").exists()


def test_an_unwritable_folder_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(UsageError, match=f"cannot write to {blocker / 'out'}"):
        Stage.begin(blocker / "out").put("a.pdf", b"x")


@pytest.mark.parametrize("failure", [OSError(13, "Permission denied"), KeyboardInterrupt()])
def test_a_rename_failing_half_way_puts_back_what_was_already_replaced(tmp_path: Path, failure: BaseException,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old a")
    (tmp_path / "c.pdf").write_bytes(b"old c")
    stage = Stage.begin(tmp_path)
    staged = {name: stage.put(name, b"new") for name in ("a.pdf", "b.apkg", "c.pdf")}
    real_replace, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 3:  # a.pdf and b.apkg are in place, c.pdf fails
            raise failure
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(UsageError if isinstance(failure, OSError) else KeyboardInterrupt):
        stage.publish(staged)
    monkeypatch.undo()
    stage.discard()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {"a.pdf": b"old a", "c.pdf": b"old c"}
