"""The docs stay true: README's test command is the one CI runs; the format doc's example loads."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_starts_with_two_commands() -> None:
    install, test = _commands()[:2]
    assert install.endswith("factpack build")
    assert test.endswith("pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci


def test_content_format_example_is_the_loaded_fixture() -> None:
    doc = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.+?)```", doc, re.DOTALL).group(1)
    assert example == (ROOT / "tests" / "data" / "valid" / "minimal.yaml").read_text(encoding="utf-8")
