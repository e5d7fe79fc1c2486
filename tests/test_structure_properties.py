"""Any structure in any place of a content file: `check` and `build` give the same verdict, never an
internal error, never a hang.

Hypothesis puts generated values (texts, numbers, lists, mappings, nesting) in place of fields of a
valid file, or adds them as new fields; the file is written with PyYAML's dumper and given to the
command line, in process.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.cli import main
from tests.conftest import MINIMAL

BASE = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                    st.floats(allow_nan=False), st.text(max_size=40),
                    st.sampled_from(["", " ", "{{c1::x}}", "{{c0::x}}", "a::b", ":", "label-a", "uses", "approved",
                                     "9" * 40, "\u202e", "\u2800", "x" * 6000]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)


def _places(value: Any, path: tuple = ()) -> list[tuple]:
    """The path of every value in the file (mapping keys and list indexes)."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _places(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _places(child, path + (index,))
    return found


PLACES = _places(BASE)


def _with(place: tuple, value: Any, add: bool) -> dict:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    target = data
    for step in place[:-1]:
        target = target[step]
    if add and isinstance(target, dict):
        target["added"] = value
    else:
        target[place[-1]] = value
    return data


def _run(*args: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(list(args))
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue(), err.getvalue()
    return code


@settings(max_examples=60, deadline=10_000, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(st.sampled_from(PLACES), VALUES, st.booleans())
def test_check_and_build_agree_on_any_structure(monkeypatch_env, place: tuple, value: Any, add: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump(_with(place, value, add), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        check = _run("check", str(path))
        build = _run("build", str(path), "--out", str(Path(folder) / "out"))
    assert check in (0, 1) and check == build, (place, value, check, build)
